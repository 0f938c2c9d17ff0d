/** The OpenStreetMap page of a point: a link the client shows (no embedded third-party map). */
export function openStreetMapUrl(lat: number, lng: number): string {
  const la = lat.toFixed(6);
  const lo = lng.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=16/${la}/${lo}`;
}
