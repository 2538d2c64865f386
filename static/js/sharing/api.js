/**
 * The JSON API: fetch with Django's CSRF token, one error type for every refusal.
 */

/** A refusal or failure of an API call, with the HTTP status and the server's JSON body. */
export class ApiError extends Error {
  /**
   * @param {string} message  a sentence to show
   * @param {number} status  HTTP status, 0 when the server could not be reached
   * @param {object} body  the JSON body ({error, problems, ...}) or {}
   */
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
    this.problems = Array.isArray(body?.problems) ? body.problems : [];
  }
}

/**
 * Django's CSRF token: the csrftoken cookie, else the hidden form input.
 * @param {Document} doc
 * @returns {string}
 */
export function csrfToken(doc = document) {
  const cookie = doc.cookie
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return doc.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

/**
 * Create the API client.
 * @param {{fetch?: typeof fetch, token?: () => string}} [options]
 */
export function createApi({ fetch: fetchImpl = window.fetch.bind(window), token = csrfToken } = {}) {
  async function request(method, url, body, headers = {}) {
    let response;
    try {
      response = await fetchImpl(url, {
        method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token(), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError("The server could not be reached. Check your connection and try again.", 0, {});
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new ApiError(data.error || data.detail || `The server answered ${response.status}.`, response.status, data);
    }
    return data;
  }

  return {
    /**
     * Simulate a document on 20 seeds: resolves to {replications, seeds, duration_s, warmup_s,
     * figures: {path: {mean, low, high}}} (playground/sim/replications.py).
     * @param {object} document
     */
    replications: (document) => request("POST", "/api/replications/", { document }),

    /**
     * Save a new topology: resolves to {slug, version, view_url, edit_url, edit_token, ...}.
     * @param {object} document
     */
    create: (document) => request("POST", "/api/topologies/", { document }),

    /**
     * Save a new version of a topology with its edit token: resolves to {version, ...}.
     * @param {string} slug
     * @param {string} editToken
     * @param {object} document
     * @param {number} version  the version this document was edited from
     * @param {{message?: string, description?: string}} [extra]  a note for the history, a new description
     */
    update: (slug, editToken, document, version, extra = {}) =>
      request(
        "PUT",
        `/api/topologies/${encodeURIComponent(slug)}/`,
        { document, version, ...extra },
        { "X-Edit-Token": editToken },
      ),

    /**
     * A page of the saved versions, newest first: resolves to
     * {revisions: [{version, title, message, created_at, nodes, edges}], next}, where next is the
     * URL of the older page (null on the last one).
     * @param {string} slug
     * @param {string | null} [next]  a page's next URL, for the page after it
     */
    revisions: (slug, next = null) => request("GET", next ?? `/api/topologies/${encodeURIComponent(slug)}/revisions/`),

    /**
     * Save an old version again as the newest: resolves to {version, document, ...}, or 409.
     * @param {string} slug
     * @param {string} editToken
     * @param {number} number  the version to bring back
     * @param {number} version  the newest version this page knows
     */
    restore: (slug, editToken, number, version) =>
      request(
        "POST",
        `/api/topologies/${encodeURIComponent(slug)}/revisions/${number}/restore/`,
        { version },
        { "X-Edit-Token": editToken },
      ),

    /**
     * List the topology in the public gallery, or unlist it.
     * @param {string} slug
     * @param {string} editToken
     * @param {boolean} published
     */
    publish: (slug, editToken, published) =>
      request(
        "POST",
        `/api/topologies/${encodeURIComponent(slug)}/publish/`,
        { published },
        { "X-Edit-Token": editToken },
      ),

    /**
     * Start a live class of this document: resolves to {code, join_url, teacher_url, qr_url, ...}.
     * @param {object} document
     * @param {string} [slug]  the saved topology it comes from
     */
    goLive: (document, slug = "") => request("POST", "/api/live/", { document, slug }),

    /**
     * Copy a topology (with this document) into a new one with its own edit token.
     * @param {string} slug
     * @param {object} [document]
     */
    fork: (slug, document) =>
      request("POST", `/api/topologies/${encodeURIComponent(slug)}/fork/`, document ? { document } : {}),
  };
}
