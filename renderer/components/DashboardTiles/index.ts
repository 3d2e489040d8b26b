export { DashboardTiles, DASHBOARD_REQUEST, type DashboardTilesProps } from './DashboardTiles.js';
