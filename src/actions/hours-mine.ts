// Form actions for hours-mine (filled by its part of volunteer hours).
export const hoursMine = {};
