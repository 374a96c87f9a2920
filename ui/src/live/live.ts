/** The page's one live connection, shared by every view (started in main.tsx). */
import { EventStream } from './event-stream.ts';

export const live = new EventStream('/v1/events');
