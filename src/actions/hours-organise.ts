// Form actions for hours-organise (filled by its part of volunteer hours).
export const hoursOrganise = {};
