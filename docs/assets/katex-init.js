// Renders the formulas of the page with the KaTeX copy served by the site (docs/assets/katex/).
// pymdownx.arithmatex (generic mode) wraps each formula in an element of class "arithmatex":
// \( ... \) inline, \[ ... \] on its own line. Only those elements are rendered, so a "$" in
// prose or in a shell session is left alone. A formula KaTeX cannot parse is shown as its
// source in red (class "katex-error"), which the site check (scripts/check_site.py) fails on.
(function () {
  function render() {
    document.querySelectorAll(".arithmatex").forEach(function (element) {
      renderMathInElement(element, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        throwOnError: false,
      });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(render); // Material's instant navigation: render on every page change
  } else {
    document.addEventListener("DOMContentLoaded", render);
  }
})();
