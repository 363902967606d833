// First: the reader's colour scheme is set on <html> before anything renders.
import './theme.js';
import { render } from 'preact';
import { App } from './components/App.js';
import { EmbedApp } from './components/EmbedApp.js';
import { startFrame } from './embed/frame.js';
import { startInbox } from './inbox.js';
import { onSessionEnded } from './live.js';
import { startModerationCounts } from './moderation-counts.js';
import { startPersonalEvents } from './notices.js';
import { startRouter } from './router.js';
import { loadSession } from './session.js';
import './styles.css';

// The discussion in a frame on a publisher's page, or the sign-in popup it opens: one view, no in-page navigation.
const embedded = window.location.pathname.startsWith('/embed/') || /^\/sign-in\/?$/.test(window.location.pathname);
if (embedded) startFrame();
else startRouter();
startPersonalEvents();
startInbox();
startModerationCounts();
void loadSession();
// Logged out elsewhere, or expired: the live connection was closed; ask who is signed in now.
onSessionEnded(() => void loadSession());
// The server puts an essay's or a comment's text in #app for readers and crawlers without JavaScript: the app takes
// its place rather than reusing its elements.
const root = document.getElementById('app') as HTMLElement;
root.replaceChildren();
render(embedded ? <EmbedApp /> : <App />, root);
