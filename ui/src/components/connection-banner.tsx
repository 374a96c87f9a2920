/**
 * Says when the live connection is lost (live updates paused, retrying) and when it is back (the page has been
 * refreshed). Loss is an alert (announced at once); recovery is a polite status that fades after a while.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionInfo } from '../live/event-stream.ts';
import { live } from '../live/live.ts';

const RECOVERED_SHOWN_MS = 6000;

export function ConnectionBanner() {
  const [info, setInfo] = useState<ConnectionInfo>(live.connection);
  const [showRecovered, setShowRecovered] = useState(false);

  useEffect(() => {
    const off = live.onConnection(setInfo);
    // The stream may have changed state between the first render and this subscription.
    setInfo(live.connection);
    return off;
  }, []);
  useEffect(() => {
    if (info.state !== 'open' || !info.recovered) return undefined;
    setShowRecovered(true);
    const t = setTimeout(() => setShowRecovered(false), RECOVERED_SHOWN_MS);
    return () => clearTimeout(t);
  }, [info]);

  if (info.state === 'lost') {
    const since = info.lostAt ? new Date(info.lostAt).toLocaleTimeString() : '';
    return (
      <div class="banner banner-lost" role="alert" data-connection="lost">
        <span aria-hidden="true">⚠</span> <strong>Connection to the server lost</strong> {since && `since ${since}`} — live updates are paused and
        what you see may be out of date. Reconnecting…{info.reason && <span class="muted"> ({info.reason})</span>}{' '}
        <button type="button" class="btn btn-small" onClick={() => live.retryNow()}>
          Retry now
        </button>
      </div>
    );
  }
  if (showRecovered && info.state === 'open') {
    return (
      <div class="banner banner-ok" role="status" data-connection="recovered">
        <span aria-hidden="true">✓</span> <strong>Connection restored</strong> — live updates resumed and this page has been refreshed.
      </div>
    );
  }
  return <div class="banner-slot" role="status" data-connection={info.state} />;
}
