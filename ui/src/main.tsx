import { render } from 'preact';
import { session } from './api/session.ts';
import { App } from './app.tsx';
import { live } from './live/live.ts';
import './styles.css';

/** Learn the caller's role (or that a token is needed) now, and again at each (re)connection until it is known. */
function whoami(): void {
  if (session.state.identity || session.state.needsToken) return;
  session.refresh().catch((e: unknown) => console.warn('could not ask the server who this is; retrying when the live connection opens', e));
}

live.onResync(whoami);
whoami();
live.start();
render(<App />, document.getElementById('app')!);
