/** Number and time formatting shared by the canvas and the panels (en-US digits on purpose). */

const rateFormats = [
  new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }),
  new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }),
];
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/**
 * A rate such as requests per second: "12.5", "1,234". A missing value is a dash.
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function formatRate(value) {
  if (value == null || !Number.isFinite(value)) return "—";
  return rateFormats[Math.abs(value) < 100 ? 0 : 1].format(value);
}

/**
 * A short rate for tight places such as the canvas: "950", "12.3K", "1.2M".
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function formatCompact(value) {
  if (value == null || !Number.isFinite(value)) return "—";
  return Math.abs(value) < 1000 ? rateFormats[1].format(value) : compactFormat.format(value);
}

/**
 * A share from 0 to 1 as a percentage: "42%", "0.5%".
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function formatPercent(value) {
  if (value == null || !Number.isFinite(value)) return "—";
  const percent = value * 100;
  const digits = percent !== 0 && Math.abs(percent) < 10 ? 1 : 0;
  return `${percent.toFixed(digits)}%`;
}

/**
 * A latency in milliseconds: "21 ms", "1.2 s". Null (no request completed) is a dash.
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function formatMs(value) {
  if (value == null || !Number.isFinite(value)) return "—";
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)} s`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

/**
 * Simulated time as a clock: "0:12.5", "1:02:05.0".
 * @param {number} seconds
 * @returns {string}
 */
export function formatClock(seconds) {
  const total = Math.max(0, seconds || 0);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = (total % 60).toFixed(1).padStart(4, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}
