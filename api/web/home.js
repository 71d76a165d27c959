// The home page's instruments table sorted, filtered and searched in place: the table is
// complete in the HTML, so without this script every instrument is still listed.

const table = document.getElementById("instrument-table");
const controls = document.getElementById("instrument-filters");
const search = document.getElementById("instrument-search");
const form = document.getElementById("instrument-form");
const force = document.getElementById("instrument-force");
const count = document.getElementById("instrument-count");
const rows = [...table.tBodies[0].rows];

function filter() {
  const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const row of rows) {
    const text = row.textContent.toLowerCase();
    const visible =
      words.every((word) => text.includes(word)) &&
      (!form.value || row.dataset.form === form.value) &&
      (!force.value || row.dataset.force === force.value);
    row.hidden = !visible;
    shown += visible ? 1 : 0;
  }
  count.textContent = `${shown} of ${rows.length} instruments shown.`;
}

function sortBy(header) {
  const column = header.cellIndex;
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const other of header.parentElement.cells) other.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const key = (row) => row.cells[column].textContent.trim();
  const compare =
    header.dataset.sort === "number"
      ? (a, b) => Number(key(a)) - Number(key(b))
      : (a, b) => key(a).localeCompare(key(b), undefined, { numeric: true });
  rows.sort((a, b) => (ascending ? compare(a, b) : compare(b, a)));
  table.tBodies[0].append(...rows);
}

for (const header of table.tHead.rows[0].cells) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "sort";
  button.append(...header.childNodes);
  button.title = `Sort by ${button.textContent.toLowerCase()}`;
  button.addEventListener("click", () => sortBy(header));
  header.append(button);
}
controls.addEventListener("input", filter);
controls.addEventListener("submit", (event) => event.preventDefault());
controls.hidden = false;
