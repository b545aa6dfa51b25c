// Form actions for volunteering: validate (zod), then the service decides who may and does it.
export const volunteering = {};
