/**
 * Toasts for what the page wants a person to know: information (role "status") and errors
 * (role "alert"). Each disappears by itself or with its close button.
 */

/**
 * @param {{container: HTMLElement}} options  the element holding the toasts
 */
export function createNotifier({ container }) {
  function show(message, { kind = "info", timeout = 5000, action = null } = {}) {
    const toast = document.createElement("div");
    toast.className = `toast toast-${kind}`;
    toast.setAttribute("role", kind === "error" ? "alert" : "status");
    const text = document.createElement("span");
    text.className = "toast-text";
    text.textContent = message;
    toast.append(text);
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "toast-action";
      button.textContent = action.label;
      button.addEventListener("click", () => {
        dismiss();
        action.run();
      });
      toast.append(button);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    toast.append(close);
    const timer = timeout ? setTimeout(dismiss, timeout) : null;
    function dismiss() {
      clearTimeout(timer);
      toast.remove();
    }
    close.addEventListener("click", dismiss);
    container.append(toast);
    return dismiss;
  }

  return {
    /**
     * A passing piece of information.
     * @param {string} message
     * @param {{timeout?: number, action?: {label: string, run: () => void}}} [options]
     */
    info: (message, options = {}) => show(message, { ...options, kind: "info" }),
    /**
     * Something that went wrong; stays longer.
     * @param {string} message
     * @param {{timeout?: number, action?: {label: string, run: () => void}}} [options]
     */
    error: (message, options = {}) => show(message, { timeout: 9000, ...options, kind: "error" }),
  };
}
