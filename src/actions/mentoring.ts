// Form actions for mentoring: validate (zod), then the service decides who may and does it.
export const mentoring = {};
