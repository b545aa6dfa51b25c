// The notification settings form: for each topic the channels ticked (checkboxes named after
// the topic, valued by channel), and the weekly programme's interests. Whether a required topic
// kept a channel is the service's rule (it depends on which channels are offered).
import { z } from 'astro/zod';
import { ACTIVITY_CATEGORIES } from '../../db/schema.ts';
import { checkboxField, choiceList } from '../../lib/form-schema.ts';
import { CHANNELS, TOPICS, type Topic } from './topics.ts';

const channelList = () => choiceList(CHANNELS);

const topicFields = Object.fromEntries(TOPICS.map((topic) => [topic, channelList()])) as { [T in Topic]: ReturnType<typeof channelList> };

export const notificationSettingsInput = z.object({
  ...topicFields,
  /** The weekly programme's categories; none ticked means all. */
  categories: choiceList(ACTIVITY_CATEGORIES),
  noGermanNeeded: checkboxField(),
  childcare: checkboxField(),
});
export type NotificationSettingsInput = z.output<typeof notificationSettingsInput>;
