// Small behaviours the pages share; everything else is htmx or plain HTML forms.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-toggle-nav]");
  if (toggle) document.getElementById("mainnav").classList.toggle("open");
});
// Export links export the list as it is now filtered and sorted: htmx changes the address, so
// the links follow it.
document.addEventListener("htmx:pushedIntoHistory", () => {
  document.querySelectorAll("a[data-follow-query]").forEach((link) => {
    link.search = window.location.search;
  });
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
