// Material's search overlay is a dialog without an accessible name; give it one (axe: aria-dialog-name).
// document$ fires on every page, instant navigation included.
document$.subscribe(() => {
  for (const dialog of document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])')) {
    dialog.setAttribute("aria-label", "Search the guide");
  }
});
