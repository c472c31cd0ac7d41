// Small behaviours that the Content-Security-Policy keeps out of inline attributes.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.classList.contains("js-autosubmit")) {
    el.form.submit();
  }
});
