import * as z from 'zod';
import { PageQuery } from '../db/pagination';
import { AttributeValue, ContactRecord } from '../table/contacts/record';
import { DisplayName } from '../text/display-name';

export { AttributeValue, ContactRecord };

const Id = z.string().min(1).max(64);

export const ContactEmail = z.email().max(254);
/** A phone number as people write it: digits, an optional leading `+`, spaces, dots, dashes, brackets. */
export const ContactPhone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{2,30}$/, 'must be a phone number (digits, optional leading +)');

/** At most as many values as a workspace may define attributes. */
const AttributeValues = z
  .record(z.string().min(1).max(40), AttributeValue)
  .refine((r) => Object.keys(r).length <= 100, {
    message: 'At most 100 attributes',
  });

export const CreateContactBody = z.strictObject({
  name: DisplayName,
  email: ContactEmail.optional(),
  phone: ContactPhone.optional(),
  attributes: AttributeValues.optional(),
});
export type CreateContactBody = z.infer<typeof CreateContactBody>;

/** `null` clears email, phone or one attribute. */
export const UpdateContactBody = z
  .strictObject({
    name: DisplayName.optional(),
    email: ContactEmail.nullable().optional(),
    phone: ContactPhone.nullable().optional(),
    attributes: z
      .record(z.string().min(1).max(40), AttributeValue.nullable())
      .refine((r) => Object.keys(r).length <= 100, { message: 'At most 100 attributes' })
      .optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change');
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const ContactParams = z.object({ ws: Id, contactId: Id });
export const ListContactsQuery = PageQuery.strict();

export const Contact = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().optional(),
    phone: z.string().optional(),
    blocked: z.boolean(),
    createdBy: z.string(),
    attributes: z.record(z.string(), AttributeValue),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;
export const ContactPage = z
  .object({ items: z.array(Contact), nextCursor: z.string().nullable() })
  .meta({ id: 'ContactPage' });
