// Form actions for hours-check-in (filled by its part of volunteer hours).
export const hoursCheckIn = {};
