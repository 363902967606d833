import { render } from 'preact';
import { App } from './components/App.js';
import { startPersonalEvents } from './notices.js';
import { startRouter } from './router.js';
import { loadSession } from './session.js';
import './styles.css';

startRouter();
startPersonalEvents();
void loadSession();
render(<App />, document.getElementById('app') as HTMLElement);
