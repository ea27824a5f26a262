import { Vocabulary, type Concept } from './vocabulary.js';

export interface FileType extends Concept {
  mediaTypes: readonly string[];
  extensions: readonly string[];
}

const BASE = 'http://publications.europa.eu/resource/authority/file-type/';
export const IANA = 'https://www.iana.org/assignments/media-types/';

// [EU code, label, media types, extensions]; every code is in the EU file-type table.
const ROWS: readonly (readonly [string, string, readonly string[], readonly string[]])[] = [
  ['CSV', 'CSV', ['text/csv'], ['csv']],
  ['TSV', 'TSV', ['text/tab-separated-values'], ['tsv']],
  ['JSON', 'JSON', ['application/json'], ['json']],
  ['GEOJSON', 'GeoJSON', ['application/geo+json', 'application/vnd.geo+json'], ['geojson']],
  ['JSON_LD', 'JSON-LD', ['application/ld+json'], ['jsonld']],
  ['XML', 'XML', ['application/xml', 'text/xml'], ['xml']],
  ['RDF_XML', 'RDF/XML', ['application/rdf+xml'], ['rdf']],
  ['RDF_TURTLE', 'Turtle', ['text/turtle'], ['ttl']],
  ['RDF_N_TRIPLES', 'N-Triples', ['application/n-triples'], ['nt']],
  ['RDF', 'RDF', [], []],
  ['PDF', 'PDF', ['application/pdf'], ['pdf']],
  ['HTML', 'HTML', ['text/html'], ['html', 'htm']],
  ['TXT', 'Text', ['text/plain'], ['txt']],
  ['XLS', 'Excel (XLS)', ['application/vnd.ms-excel'], ['xls']],
  ['XLSX', 'Excel (XLSX)', ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], ['xlsx']],
  ['ODS', 'OpenDocument Spreadsheet', ['application/vnd.oasis.opendocument.spreadsheet'], ['ods']],
  ['DOC', 'Word (DOC)', ['application/msword'], ['doc']],
  ['DOCX', 'Word (DOCX)', ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'], ['docx']],
  ['ODT', 'OpenDocument Text', ['application/vnd.oasis.opendocument.text'], ['odt']],
  ['ZIP', 'ZIP', ['application/zip'], ['zip']],
  ['GZIP', 'GZIP', ['application/gzip'], ['gz']],
  ['SHP', 'Shapefile', ['application/x-shapefile'], ['shp']],
  ['KML', 'KML', ['application/vnd.google-earth.kml+xml'], ['kml']],
  ['KMZ', 'KMZ', ['application/vnd.google-earth.kmz'], ['kmz']],
  ['GML', 'GML', ['application/gml+xml'], ['gml']],
  ['WMS_SRVC', 'WMS', [], []],
  ['WFS_SRVC', 'WFS', [], []],
  ['MAP_SRVC', 'Kartendienst', [], []],
  ['REST', 'REST-API', [], []],
  ['ATOM', 'Atom', ['application/atom+xml'], ['atom']],
  ['RSS', 'RSS', ['application/rss+xml'], ['rss']],
  ['JPEG', 'JPEG', ['image/jpeg'], ['jpg', 'jpeg']],
  ['PNG', 'PNG', ['image/png'], ['png']],
  ['TIFF', 'TIFF', ['image/tiff'], ['tif', 'tiff']],
  ['GIF', 'GIF', ['image/gif'], ['gif']],
  ['SVG', 'SVG', ['image/svg+xml'], ['svg']],
  ['ICS', 'iCalendar', ['text/calendar'], ['ics']],
  ['SQL', 'SQL', ['application/sql'], ['sql']],
  ['NETCDF', 'NetCDF', ['application/netcdf'], ['nc']],
  ['GDB', 'Esri File Geodatabase', [], ['gdb']],
  ['DBF', 'dBASE', ['application/dbf'], ['dbf']],
  ['RAR', 'RAR', ['application/vnd.rar'], ['rar']],
  ['TAR', 'TAR', ['application/x-tar'], ['tar']],
  ['PPTX', 'PowerPoint', ['application/vnd.openxmlformats-officedocument.presentationml.presentation'], ['pptx']],
];

export const FILE_TYPES: readonly FileType[] = ROWS.map(([code, label, mediaTypes, extensions]) => ({ code, iri: BASE + code, label: { de: label, en: label }, mediaTypes, extensions }));

const aliases: Record<string, string> = { wms: 'WMS_SRVC', wfs: 'WFS_SRVC', 'esri shapefile': 'SHP', shapefile: 'SHP', 'geo+json': 'GEOJSON', 'json-ld': 'JSON_LD', turtle: 'RDF_TURTLE', 'n-triples': 'RDF_N_TRIPLES', 'rdf/xml': 'RDF_XML', excel: 'XLSX', api: 'REST' };
for (const f of FILE_TYPES) {
  for (const m of f.mediaTypes) {
    aliases[m] ??= f.code;
    aliases[IANA + m] ??= f.code;
    aliases[IANA.replace('https:', 'http:') + m] ??= f.code;
  }
  for (const e of f.extensions) {
    aliases[e] ??= f.code;
    aliases['.' + e] ??= f.code;
  }
}

// CKAN's resource_formats names where they are not the EU code (ckan/config/resource_formats.json).
const CKAN_NAMES: Readonly<Record<string, string>> = { GEOJSON: 'GeoJSON', NETCDF: 'NetCDF', GZIP: 'GZ', WMS_SRVC: 'WMS', WFS_SRVC: 'WFS', ATOM: 'Atom Feed', DBF: 'dBase' };
for (const [code, name] of Object.entries(CKAN_NAMES)) aliases[name.toLowerCase()] ??= code;

export const fileTypes = new Vocabulary<FileType>('fileType', BASE, FILE_TYPES, aliases);

/** The format name CKAN shows and filters by (res_format): CSV, GeoJSON, WMS. */
export function ckanFormatName(fileType: FileType): string {
  return CKAN_NAMES[fileType.code] ?? fileType.code;
}

/** The file type of what real catalogs put in a format field: EU IRI, code, extension, media type (also as IANA IRI). */
export function resolveFormat(value: string): FileType | undefined {
  const v = value.trim();
  return fileTypes.resolve(v) ?? fileTypes.resolve(v.split(';')[0].trim());
}

/** https://www.iana.org/assignments/media-types/text/csv for text/csv. */
export function mediaTypeIri(mediaType: string): string {
  return IANA + mediaType.split(';')[0].trim().toLowerCase();
}

/** text/csv for an IANA media-type IRI (http or https); undefined for other IRIs. */
export function mediaTypeOf(iri: string): string | undefined {
  const m = /^https?:\/\/www\.iana\.org\/assignments\/media-types\/(.+)$/.exec(iri);
  return m?.[1];
}
