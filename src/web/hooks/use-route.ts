/** Hash routing: #/, #/journeys/:j, #/journeys/:j/slos/:s, #/incidents, #/incidents/:id, #/history?filters. */
import { useEffect, useState } from 'react';
import { parseRoute, type Route } from '../lib/route.js';

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}
