// What people who only share a shift or a mentorship see of each other's name.

/** The name people call each other by: the first word of the display name. */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/u)[0] ?? '';
}
