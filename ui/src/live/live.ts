/** The page's one live connection, shared by every view (started in main.tsx), with the session's token. */
import { session } from '../api/session.ts';
import { EventStream } from './event-stream.ts';

export const live = new EventStream('/v1/events', {
  headers: () => session.authHeaders(),
  unauthorized: (sent) => session.unauthorized(sent),
  onToken: (fn) => session.onToken(fn),
});
