import { latLngToCell } from 'h3-js';

/**
 * The H3 resolution of every stored location (about 0.1 km² a cell): fine enough that boundary cells
 * hold few people, coarse enough that a cell says little more than a neighbourhood.
 */
export const H3_RESOLUTION = 9;

/** The resolution-9 H3 cell of a point, as the 15-character hex string stored in `persons.h3_cell`. */
export const locationCell = (lat: number, lon: number): string => latLngToCell(lat, lon, H3_RESOLUTION);
