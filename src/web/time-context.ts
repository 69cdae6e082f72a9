/** The configured time zone's formatters, shared by every page (from /api/v1/info). */
import { createContext, useContext } from 'react';
import { type TimeFormat, timeFormat } from './lib/format.js';

export const TimeContext = createContext<TimeFormat>(timeFormat('UTC'));

export function useTime(): TimeFormat {
  return useContext(TimeContext);
}
