#!/usr/bin/env node
// The `orrery` command. The sources are TypeScript; tsx's loader runs them without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
