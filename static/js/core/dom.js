/** The two ways the page's scripts read the server-rendered page. */

/**
 * The first element matching a CSS selector.
 * @param {string} selector
 * @returns {any}
 */
export const $ = (selector) => document.querySelector(selector);

/**
 * The JSON the server rendered into a <script type="application/json"> element (json_script).
 * @param {string} id
 */
export const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
