// What an Access member row names, checked the same way by the API and the operator's script:
// emails match case-insensitively, so both are stored lowercased.
import * as z from 'zod';

export const accessEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ error: 'email must be an email address' }));

export const accessGroup = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'group must not be empty')
  .max(200, 'group must be at most 200 characters');
