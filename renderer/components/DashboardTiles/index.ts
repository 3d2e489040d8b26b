export { DashboardTiles, type DashboardTilesProps } from './DashboardTiles.js';
