// The product catalog as data: package types, add-ons, and what each one delivers.
export const PACKAGE_TYPES = ['base', 'plus', 'plus_3d'] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const ADD_ONS = ['gla', '3d_cad_files', '3d_video', '6h_turnaround'] as const;
export type AddOn = (typeof ADD_ONS)[number];

export const CUSTOMER_TYPES = ['Agent', 'Appraiser', 'Photographer', 'Contractor', 'Home Inspector', 'Personal use', 'Other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const ROLES = ['Collaborator', 'User', 'Manager'] as const;
export type Role = (typeof ROLES)[number];

export const WEBHOOK_TRIGGERS = ['moved_to_draft', 'moved_to_pending', 'moved_to_ready', 'moved_to_fixing', 'moved_to_failed'] as const;
export type WebhookTrigger = (typeof WEBHOOK_TRIGGERS)[number];

/** Rank of a package: an upgrade must go strictly up. */
export function packageRank(p: PackageType): number {
  return PACKAGE_TYPES.indexOf(p);
}

/** Add-ons not yet bought, in catalog order. */
export function purchasableAddOns(bought: readonly string[]): AddOn[] {
  return ADD_ONS.filter((a) => !bought.includes(a));
}

export const DEFAULT_PACKAGE: PackageType = 'plus';
