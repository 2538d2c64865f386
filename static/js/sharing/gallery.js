/**
 * The gallery on a new topology's page: topologies their owners published, newest first.
 */

/**
 * Fill the gallery from /api/gallery/; it stays hidden when nothing is published or the
 * server cannot be reached, since it is only a way in.
 * @param {{section: HTMLElement, list: HTMLUListElement, fetch?: typeof fetch}} options
 */
export async function showGallery({ section, list, fetch: fetchImpl = window.fetch.bind(window) }) {
  let topologies = [];
  try {
    const response = await fetchImpl("/api/gallery/", { headers: { Accept: "application/json" } });
    if (response.ok) topologies = (await response.json()).topologies ?? [];
  } catch {
    return;
  }
  list.replaceChildren(
    ...topologies.map((topology) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = topology.view_url;
      link.className = "gallery-item";
      const title = document.createElement("strong");
      title.textContent = topology.title || topology.slug;
      link.append(title);
      if (topology.description) {
        const about = document.createElement("span");
        about.textContent = topology.description;
        link.append(about);
      }
      item.append(link);
      return item;
    }),
  );
  section.hidden = topologies.length === 0;
}
