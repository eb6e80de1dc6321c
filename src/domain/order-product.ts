// What an order has bought and what it may still buy, and the area its scan covers.
import crypto from 'node:crypto';
import { ADD_ONS, packageRank, purchasableAddOns, type PackageType } from './catalog.js';

export const AREA_LIMIT_SQFT = 5000;

/** `over_limits`: `["area"]` when the scanned area exceeds 5,000 ft², else empty. */
export function overLimits(totalScannedArea: number): string[] {
  return totalScannedArea > AREA_LIMIT_SQFT ? ['area'] : [];
}

/**
 * A plausible scanned area in ft² for an order whose scan does not state one: 800.0–3,999.9,
 * derived from the order id so the same order always gets the same area (and the same model).
 */
export function derivedScannedArea(orderId: string): number {
  const n = crypto.createHash('sha256').update(orderId).digest().readUInt32BE(0);
  return 800 + (n % 32000) / 10;
}

/** Add-ons in catalog order, each once. */
export function normalizeAddOns(addOns: readonly string[]): string[] {
  return ADD_ONS.filter((a) => addOns.includes(a));
}

export type UpgradeProblem =
  | { kind: 'package_not_higher'; current: PackageType; requested: PackageType }
  | { kind: 'add_on_not_purchasable'; index: number; purchasable: string[] };

/** Checks a post-purchase against what the order already has; null when it is a valid upgrade. */
export function upgradeProblem(
  current: { package_type: string; add_ons: readonly string[] },
  packageType: PackageType | null,
  addOns: readonly string[],
): UpgradeProblem | null {
  const currentPackage = current.package_type as PackageType;
  if (packageType !== null && packageRank(packageType) <= packageRank(currentPackage)) {
    return { kind: 'package_not_higher', current: currentPackage, requested: packageType };
  }
  const purchasable = purchasableAddOns(current.add_ons);
  const index = addOns.findIndex((a) => !(purchasable as string[]).includes(a));
  if (index !== -1) return { kind: 'add_on_not_purchasable', index, purchasable };
  return null;
}
