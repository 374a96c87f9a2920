import { render } from 'preact';
import { App } from './app.tsx';
import { live } from './live/live.ts';
import './styles.css';

live.start();
render(<App />, document.getElementById('app')!);
