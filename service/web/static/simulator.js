/* Progressive: keys type into the screen without a page load; everything works without it. */
document.querySelectorAll('.keys [data-key]').forEach(function (key) {
  key.addEventListener('click', function (event) {
    var entry = document.getElementById('entry');
    if (!entry) return;
    event.preventDefault();
    entry.value += key.dataset.key;
    entry.focus();
  });
});
