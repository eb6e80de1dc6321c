// Delivered files and floor-plan models (filled in by the deliverables issue).
export interface AssetTables {}
