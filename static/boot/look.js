// The theme and presenter mode before the first paint, so a dark page never flashes white.
// A classic script (not a module) loaded in <head>: look.js keeps the setting afterwards.
try {
  const look = JSON.parse(localStorage.getItem("scale-playground:look") || "{}");
  const dark = look.dark ?? matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  document.documentElement.classList.toggle("presenter", Boolean(look.presenter));
} catch {}
