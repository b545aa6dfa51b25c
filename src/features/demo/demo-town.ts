// The demo town: invented organisations, people and about forty activities over the next eight
// weeks, and a year of past ones with attendance and volunteer hours (insertDemoPastYear), so
// that a fresh installation can be tried out at once. Modelled on a small town that
// welcomes refugees; every person, club, address and date here is made up.
//
// Times are wall-clock times in the town's time zone (DST-correct), never the server's: all
// calendar arithmetic is done on UTC dates and turned into instants with zonedTimeToInstant.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActivityCategory, Database, Locale, MembershipRole } from '../../db/schema.ts';
import { hashPassword } from '../accounts/password.ts';
import { zonedTimeToInstant } from '../../i18n/format.ts';
import type { VolunteerSkill } from '../volunteering/volunteering.schema.ts';
import { storeTownDetails, type TownDetails } from '../privacy/town-details.ts';
import { CONSENT_PURPOSES } from '../privacy/consent.records.ts';
import { mondayOf } from '../help-requests/help-requests.service.ts';
import { monthOf, monthSpan, recordByHand, shiftMonth } from '../hours/ledger.ts';
import { followHelpRequest, followMeeting, followShiftCheckIn } from '../hours/sources.ts';

export interface DemoSignIn {
  /** Picks the translated role label ('demo.role.<key>') on the home page. */
  key: string;
  /** The role in English, for the console. */
  role: string;
  email: string;
  password: string;
  displayName: string;
}

export interface DemoSummary {
  organisations: number;
  activities: number;
  signIns: DemoSignIn[];
}

/** The app_setting key that marks an installation holding the demo town. */
export const DEMO_TOWN_SETTING = 'demo_town';
/** One memorable password for every demo account (it passes checkNewPassword). */
export const DEMO_PASSWORD = 'ankommen-demo';
const TOWN = 'Altena';
const POSTCODE_TOWN = `58762 ${TOWN}`;

export async function hasDemoTown(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('app_setting')
    .select('key')
    .where('key', '=', DEMO_TOWN_SETTING)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// The town's legal details, so that the privacy notice, legal notice and accessibility statement
// of the demo look like a real town's. Every name and address is invented and says so; the
// addresses are example.org and the phone numbers from the range kept for film and television.

const INVENTED = '(Demo – erfundene Angaben)';

export function demoTownDetails(statedAt: Date): TownDetails {
  return {
    controller: {
      controllerName: `Stadt ${TOWN} ${INVENTED}, Der Bürgermeister`,
      controllerAddress: `Demo-Rathaus\nBeispielplatz 1\n${POSTCODE_TOWN}`,
      controllerEmail: 'rathaus@altena.example.org',
      controllerPhone: '+49 30 23125 100',
      dpoName: `Dana Beispiel ${INVENTED}`,
      dpoEmail: 'datenschutz@altena.example.org',
      dpoAddress: `Datenschutzbeauftragte der Stadt ${TOWN}\nBeispielplatz 1\n${POSTCODE_TOWN}`,
      supervisoryAuthority: `Landesbeauftragte für Datenschutz ${INVENTED}`,
      supervisoryUrl: 'https://datenschutz.example.org',
      processors: `Hosting und E-Mail-Versand: Kommunales Beispiel-Rechenzentrum ${INVENTED}, Serverweg 2, 58000 Beispielstadt`,
    },
    legalNotice: {
      noticeProvider: `Stadt ${TOWN} ${INVENTED}`,
      noticeRepresentative: 'Bürgermeister Bernd Muster',
      noticeAddress: `Beispielplatz 1\n${POSTCODE_TOWN}`,
      noticeEmail: 'rathaus@altena.example.org',
      noticePhone: '+49 30 23125 100',
      noticeRegister: '',
      noticeVatId: 'DE000000000 (Beispiel)',
      contentResponsible: `Erika Beispiel, Integrationsbüro\nBeispielplatz 1, ${POSTCODE_TOWN}`,
    },
    accessibility: {
      accessibilityStatus: 'partial',
      knownIssues:
        'Die gedruckten Abholzettel (PDF) sind noch nicht vollständig barrierefrei: Sie haben keine Überschriften-Struktur für Screenreader.\n' +
        'Beschreibungen von Angeboten schreiben die Vereine selbst; nicht alle sind in Leichter Sprache.',
      feedbackEmail: 'barrierefrei@altena.example.org',
      feedbackPhone: '+49 30 23125 101',
      enforcementName: `Schlichtungsstelle für Barrierefreiheit ${INVENTED}`,
      enforcementAddress: 'Musterstraße 10\n40000 Beispielstadt',
      enforcementUrl: 'https://schlichtung.example.org',
      statedAt: statedAt.toISOString(),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Organisations and people

type OrgSlug = 'stellwerk' | 'integrationsbuero' | 'tus-sport' | 'stadtbibliothek';

// Phone numbers from the range German regulators keep for film and television (030 23125 xxx):
// they look real and reach nobody.
const ORGANISATIONS: { slug: OrgSlug; name: string; description: string; contact_phone: string | null; contact_email: string | null }[] = [
  {
    slug: 'stellwerk',
    name: `Stellwerk – Ehrenamt in ${TOWN}`,
    description:
      'Das Stellwerk bringt Menschen zusammen, die helfen wollen, und Menschen, die Hilfe brauchen. ' +
      'Wir vermitteln Ehrenamt, begleiten Kümmerer und laden jede Woche zum Sprachcafé ein.\n\n' +
      'Kommen Sie einfach vorbei – bei uns ist jede und jeder willkommen.',
    contact_phone: '+49 30 23125 010',
    contact_email: 'hallo@stellwerk.example.org',
  },
  {
    slug: 'integrationsbuero',
    name: 'Integrationsbüro',
    description:
      'Das Integrationsbüro der Stadt berät neu zugezogene Menschen zu Sprache, Arbeit, Schule und Behörden. ' +
      'Wir organisieren Deutschkurse und helfen bei Anträgen.\n\n' +
      'Die Beratung ist kostenlos und vertraulich.',
    contact_phone: '+49 30 23125 020',
    contact_email: 'integration@altena.example.org',
  },
  {
    slug: 'tus-sport',
    name: 'TuS Lennetal 1908 – Sportverein',
    description:
      'Ein Sportverein für alle Generationen: Fußball, Schwimmen, Laufen und Turnen. ' +
      'Neue Mitglieder können jederzeit kostenlos zum Schnuppern kommen.\n\n' +
      'Sport verbindet – auch ohne viele Worte.',
    contact_phone: null,
    contact_email: 'mitmachen@tus-lennetal.example.org',
  },
  {
    slug: 'stadtbibliothek',
    name: 'Stadtbibliothek am Lenneufer',
    description:
      'Die Stadtbibliothek hat Bücher, Zeitschriften und Hörbücher in vielen Sprachen. ' +
      'Es gibt Lernplätze, kostenloses WLAN und Angebote für Kinder und Familien.\n\n' +
      'Ein Bibliotheksausweis für Kinder und Jugendliche ist kostenlos.',
    contact_phone: '+49 30 23125 040',
    contact_email: null,
  },
];

/** Who can sign in to the demo town; each has a role label in every language (messages/demo.ts). */
export type DemoPersonKey = PersonKey;
type PersonKey =
  | 'admin'
  | 'organiser'
  | 'coordinator'
  | 'librarian'
  | 'resident'
  | 'newcomerAr'
  | 'newcomerUk'
  | 'kuemmerer'
  | 'mentor'
  | 'mentorTr';

interface PersonSpec {
  key: PersonKey;
  role: string;
  email: string;
  displayName: string;
  locale: Locale;
  isAdmin?: boolean;
  memberships: { org: OrgSlug; role: MembershipRole }[];
}

const PEOPLE: PersonSpec[] = [
  { key: 'admin', role: 'admin', email: 'admin@example.org', displayName: 'Admin Demo', locale: 'de', isAdmin: true, memberships: [] },
  {
    key: 'organiser',
    role: 'organiser (Stellwerk, sports club)',
    email: 'organiser@example.org',
    displayName: 'Jana Becker',
    locale: 'de',
    memberships: [
      { org: 'stellwerk', role: 'organiser' },
      { org: 'tus-sport', role: 'organiser' },
    ],
  },
  {
    key: 'coordinator',
    role: 'coordinator (Integration Office, Stellwerk)',
    email: 'coordinator@example.org',
    displayName: 'Thomas Weber',
    locale: 'de',
    memberships: [
      { org: 'integrationsbuero', role: 'coordinator' },
      { org: 'stellwerk', role: 'coordinator' },
    ],
  },
  {
    key: 'librarian',
    role: 'organiser (library)',
    email: 'library@example.org',
    displayName: 'Petra Schulte',
    locale: 'de',
    memberships: [{ org: 'stadtbibliothek', role: 'organiser' }],
  },
  { key: 'resident', role: 'resident / volunteer', email: 'resident@example.org', displayName: 'Klaus Hoffmann', locale: 'de', memberships: [] },
  { key: 'newcomerAr', role: 'newcomer (Arabic)', email: 'newcomer-ar@example.org', displayName: 'سمير الأحمد', locale: 'ar', memberships: [] },
  { key: 'newcomerUk', role: 'newcomer (Ukrainian)', email: 'newcomer-uk@example.org', displayName: 'Олена Коваленко', locale: 'uk', memberships: [] },
  { key: 'kuemmerer', role: 'Kümmerer-to-be', email: 'kuemmerer@example.org', displayName: 'Maria Lange', locale: 'de', memberships: [] },
  { key: 'mentor', role: 'Kümmerer (mentors the Ukrainian newcomer)', email: 'mentor@example.org', displayName: 'Hans Berger', locale: 'de', memberships: [] },
  { key: 'mentorTr', role: 'Kümmerer (free places)', email: 'mentor-tr@example.org', displayName: 'Aylin Demir', locale: 'tr', memberships: [] },
];

/** The demo people as the console lists them: key, English role, sign-in address. */
export const DEMO_PEOPLE: ReadonlyArray<Pick<PersonSpec, 'key' | 'role' | 'email'>> = PEOPLE;

/** Who posts an organisation's activities (created_by). */
const POSTED_BY: Record<OrgSlug, PersonKey> = {
  stellwerk: 'organiser',
  'tus-sport': 'organiser',
  integrationsbuero: 'coordinator',
  stadtbibliothek: 'librarian',
};

// ---------------------------------------------------------------------------------------------
// Places

interface Place {
  place_name: string;
  address: string;
}

const PLACES = {
  stellwerk: { place_name: 'Stellwerk', address: `Lennestraße 12, ${POSTCODE_TOWN}` },
  stellwerkWerkstatt: { place_name: 'Stellwerk, Werkstatt im Hof', address: `Lennestraße 12, ${POSTCODE_TOWN}` },
  integrationsbuero: { place_name: 'Integrationsbüro, Raum 104', address: `Am Rathausplatz 3, ${POSTCODE_TOWN}` },
  bibliothek: { place_name: 'Stadtbibliothek am Lenneufer', address: `Uferweg 7, ${POSTCODE_TOWN}` },
  hallenbad: { place_name: 'Hallenbad Nette', address: `Nettestraße 41, ${POSTCODE_TOWN}` },
  sportplatz: { place_name: 'Sportplatz Lennewiesen', address: `Wiesenweg 2, ${POSTCODE_TOWN}` },
  gemeindehaus: { place_name: 'Gemeindehaus Kirchstraße', address: `Kirchstraße 18, ${POSTCODE_TOWN}` },
  kleiderkammer: { place_name: 'Kleiderkammer im Bahnhof', address: `Bahnhofstraße 5, ${POSTCODE_TOWN}` },
  markt: { place_name: 'Treffpunkt: Brunnen am Markt', address: `Am Markt 1, ${POSTCODE_TOWN}` },
  museum: { place_name: 'Stadtmuseum (Treffpunkt am Eingang)', address: `Burgweg 9, ${POSTCODE_TOWN}` },
  jugendhaus: { place_name: 'Jugendhaus Funkloch', address: `Freiheitstraße 22, ${POSTCODE_TOWN}` },
} satisfies Record<string, Place>;

// ---------------------------------------------------------------------------------------------
// Activities

type Translations = Partial<Record<Locale, { title: string; description: string }>>;

interface ActivityText {
  title: string;
  description: string;
  translations?: Translations;
}

interface ActivitySpec extends ActivityText {
  org: OrgSlug;
  category: ActivityCategory;
  status?: 'draft' | 'published';
  /** Days after today in the town's calendar (today = 0). */
  day: number;
  start: [number, number];
  end: [number, number];
  place?: Place;
  online_url?: string;
  capacity?: number | null;
  /** RSVPs close the day before at the same wall-clock time. */
  rsvpDayBefore?: boolean;
  languages?: string[];
  german_level?: string;
  audience?: string[];
  childcare?: boolean;
  wheelchair_accessible?: boolean;
  cost?: string;
  contact_name?: string;
}

interface CalendarDay {
  y: number;
  m: number;
  d: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

function zonedToday(timeZone: string, now: Date): CalendarDay {
  const parts = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return calendarDay(get('year'), get('month'), get('day'), 0);
}

/** Pure calendar arithmetic on UTC dates: no server time zone involved. */
function calendarDay(y: number, m: number, d: number, plusDays: number): CalendarDay {
  const date = new Date(Date.UTC(y, m - 1, d + plusDays));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate(), weekday: date.getUTCDay() };
}

const TEXT = {
  sprachcafe: {
    title: 'Sprachcafé / Language café',
    description:
      `Jede Woche treffen sich Menschen aus ${TOWN} und aus aller Welt zum Reden. ` +
      'Sie üben Deutsch in einfachen Gesprächen, bei Tee und Kuchen.\n\n' +
      'Anfängerinnen und Anfänger sind herzlich willkommen. Melden Sie sich gern vorher an.',
    translations: {
      en: {
        title: 'Language café',
        description:
          `Every week, people from ${TOWN} and from all over the world meet to talk. ` +
          'You practise German in easy conversations over tea and cake.\n\n' +
          'Beginners are very welcome. Please sign up beforehand if you can.',
      },
      ar: {
        title: 'مقهى اللغة',
        description:
          'كل أسبوع يلتقي أشخاص من ألتينا ومن جميع أنحاء العالم للحديث. ' +
          'تتدربون على اللغة الألمانية في محادثات بسيطة مع الشاي والكعك.\n\n' +
          'المبتدئون مرحب بهم جداً. يمكنكم التسجيل مسبقاً.',
      },
      uk: {
        title: 'Мовне кафе',
        description:
          'Щотижня люди з Альтени та з усього світу зустрічаються, щоб поговорити. ' +
          'Ви практикуєте німецьку в простих розмовах за чаєм і пирогом.\n\n' +
          'Початківцям дуже раді. Якщо можете, зареєструйтеся заздалегідь.',
      },
    },
  },
  deutschkursA1: {
    title: 'Deutschkurs A1 – Einstieg',
    description:
      'Dieser Kurs ist für Menschen, die gerade anfangen, Deutsch zu lernen. ' +
      'Wir üben Wörter für den Alltag: Einkaufen, Arzt, Schule und Amt.\n\n' +
      'Der Kurs läuft vier Wochen lang, montags und mittwochs. Bitte kommen Sie möglichst zu allen Terminen. ' +
      'Während des Kurses gibt es eine Kinderbetreuung.',
    translations: {
      en: {
        title: 'German course A1 – getting started',
        description:
          'This course is for people who are just starting to learn German. ' +
          'We practise words for everyday life: shopping, the doctor, school and public offices.\n\n' +
          'The course runs for four weeks, on Mondays and Wednesdays. Please try to come to every session. ' +
          'Childcare is available during the course.',
      },
      ar: {
        title: 'دورة اللغة الألمانية A1 – البداية',
        description:
          'هذه الدورة للأشخاص الذين بدأوا للتو تعلم اللغة الألمانية. ' +
          'نتدرب على كلمات للحياة اليومية: التسوق والطبيب والمدرسة والدوائر الرسمية.\n\n' +
          'تستمر الدورة أربعة أسابيع، أيام الاثنين والأربعاء. يرجى الحضور إلى جميع المواعيد إن أمكن. ' +
          'تتوفر رعاية للأطفال أثناء الدورة.',
      },
      uk: {
        title: 'Курс німецької A1 – початок',
        description:
          'Цей курс для тих, хто тільки починає вчити німецьку. ' +
          'Ми вчимо слова для щоденного життя: покупки, лікар, школа та установи.\n\n' +
          'Курс триває чотири тижні, по понеділках і середах. Будь ласка, приходьте на всі заняття, якщо можете. ' +
          'Під час курсу є догляд за дітьми.',
      },
    },
  },
  deutschkursA2: {
    title: 'Deutschkurs A2 – Aufbau',
    description:
      'Der Aufbaukurs für alle, die den A1-Kurs geschafft haben. ' +
      'Wir sprechen über Arbeit, Wohnen und Gesundheit und üben Briefe schreiben.\n\n' +
      'Die Termine stehen noch nicht fest.',
  },
  fahrradwerkstatt: {
    title: 'Fahrradwerkstatt',
    description:
      'Ihr Fahrrad ist kaputt? In unserer Werkstatt reparieren wir es gemeinsam. ' +
      'Werkzeug und viele Ersatzteile sind da.\n\n' +
      'Sie lernen dabei, kleine Reparaturen selbst zu machen. Gespendete Fahrräder können Sie hier auch bekommen.',
  },
  frauenSchwimmen: {
    title: 'Frauen-Schwimmen',
    description:
      'Das Hallenbad ist in dieser Zeit nur für Frauen da. ' +
      'Es gibt nur weibliche Aufsicht und die Fenster sind verhängt.\n\n' +
      'Sie können schwimmen lernen oder einfach Ihre Bahnen ziehen. Jede Badekleidung, auch Burkini, ist willkommen.',
    translations: {
      en: {
        title: 'Swimming for women',
        description:
          'The indoor pool is for women only at this time. ' +
          'Only female staff are on duty and the windows are covered.\n\n' +
          'You can learn to swim or just swim your lengths. Any swimwear, including burkini, is welcome.',
      },
      ar: {
        title: 'سباحة للنساء',
        description:
          'المسبح الداخلي مخصص للنساء فقط في هذا الوقت. ' +
          'المشرفات نساء فقط والنوافذ مغطاة.\n\n' +
          'يمكنكِ تعلم السباحة أو السباحة بحرية. أي لباس سباحة مرحب به، بما في ذلك البوركيني.',
      },
      uk: {
        title: 'Плавання для жінок',
        description:
          'У цей час критий басейн лише для жінок. ' +
          'Чергують тільки жінки, вікна завішені.\n\n' +
          'Можна навчитися плавати або просто поплавати. Підійде будь-який купальник, зокрема буркіні.',
      },
    },
  },
  kinderbasteln: {
    title: 'Kinderbasteln in der Bibliothek',
    description:
      'Wir basteln, malen und lesen zusammen eine kurze Geschichte vor. ' +
      'Für Kinder von 4 bis 10 Jahren, Eltern sind herzlich eingeladen.\n\n' +
      'Kleine Geschwister werden in der Spielecke betreut.',
  },
  lesung: {
    title: 'Lesung: Geschichten vom Ankommen',
    description:
      'Drei Menschen aus unserer Stadt lesen kurze Texte über ihren Weg nach Deutschland. ' +
      'Danach gibt es Zeit für Fragen und Gespräche.\n\n' +
      'Eintritt 3 €, für Menschen mit geringem Einkommen frei.',
  },
  museum: {
    title: 'Gemeinsamer Besuch im Stadtmuseum',
    description:
      'Wir besuchen zusammen das Stadtmuseum und lernen die Geschichte der Stadt kennen. ' +
      'Die Führung ist in einfacher Sprache.\n\n' +
      'Der Eintritt ist für die Gruppe frei. Bitte melden Sie sich an.',
  },
  fussball: {
    title: 'Fußball für alle',
    description:
      'Offenes Fußballtraining für alle ab 14 Jahren, egal wie gut Sie spielen. ' +
      'Sportschuhe reichen, Trikots leihen wir Ihnen.\n\n' +
      'Einfach vorbeikommen und mitspielen.',
  },
  anerkennung: {
    title: 'Beratung: Anerkennung von Abschlüssen',
    description:
      'Sie haben in Ihrem Heimatland eine Ausbildung oder ein Studium gemacht? ' +
      'Wir erklären, wie Sie Ihren Abschluss in Deutschland anerkennen lassen.\n\n' +
      'Bringen Sie Ihre Zeugnisse mit, gern auch als Kopie. Die Beratung ist kostenlos und vertraulich.',
    translations: {
      en: {
        title: 'Advice: recognition of qualifications',
        description:
          'Did you train or study in your home country? ' +
          'We explain how to get your qualification recognised in Germany.\n\n' +
          'Bring your certificates, copies are fine. The advice is free and confidential.',
      },
      ar: {
        title: 'استشارة: الاعتراف بالشهادات',
        description:
          'هل أكملت تدريباً مهنياً أو دراسة في بلدك؟ ' +
          'نشرح لك كيف يمكنك الحصول على الاعتراف بشهادتك في ألمانيا.\n\n' +
          'أحضر شهاداتك معك، والنسخ مقبولة أيضاً. الاستشارة مجانية وسرية.',
      },
      uk: {
        title: 'Консультація: визнання дипломів',
        description:
          'Ви здобули професію або вищу освіту у своїй країні? ' +
          'Ми пояснимо, як визнати ваш диплом у Німеччині.\n\n' +
          'Візьміть із собою документи про освіту, можна копії. Консультація безкоштовна та конфіденційна.',
      },
    },
  },
  behoerdenpost: {
    title: 'Sprechstunde Behördenpost',
    description:
      'Sie haben einen Brief vom Amt bekommen und verstehen ihn nicht? ' +
      'Kommen Sie vorbei, wir lesen ihn gemeinsam.\n\n' +
      'Wir helfen auch beim Ausfüllen von Formularen. Sie brauchen keinen Termin.',
    translations: {
      en: {
        title: 'Help with letters from public offices',
        description:
          "Did you get a letter from an office and you don't understand it? " +
          'Come by and we read it together.\n\n' +
          'We also help you fill in forms. You do not need an appointment.',
      },
      ar: {
        title: 'مساعدة في رسائل الدوائر الرسمية',
        description:
          'هل وصلتك رسالة من دائرة رسمية ولم تفهمها؟ ' +
          'تعال إلينا وسنقرأها معاً.\n\n' +
          'نساعدك أيضاً في تعبئة الاستمارات. لا تحتاج إلى موعد.',
      },
      uk: {
        title: 'Допомога з листами від установ',
        description:
          'Ви отримали лист від установи і не розумієте його? ' +
          'Приходьте, ми прочитаємо його разом.\n\n' +
          'Ми також допомагаємо заповнювати формуляри. Попередній запис не потрібен.',
      },
    },
  },
  elterncafe: {
    title: 'Elterncafé',
    description:
      'Eltern aus aller Welt tauschen sich aus: über Kita, Schule und den Alltag mit Kindern. ' +
      'Eine Erzieherin beantwortet Ihre Fragen.\n\n' +
      'Während Sie Kaffee trinken, spielen die Kinder im Nebenraum.',
  },
  kochabend: {
    title: 'Kochabend: Gerichte aus Syrien und dem Sauerland',
    description:
      'Wir kochen zusammen ein Essen aus zwei Küchen und essen danach an einem großen Tisch. ' +
      'Die Zutaten bezahlt das Stellwerk.\n\n' +
      'Es gibt nur 12 Plätze. Bitte melden Sie sich bis zum Vortag an.',
  },
  stadtfuehrung: {
    title: 'Stadtführung für Neue',
    description:
      'Ein Spaziergang durch die Altstadt: Wo ist das Rathaus, wo die Bibliothek, wo der Arzt? ' +
      'Wir zeigen Ihnen wichtige Orte und erzählen ein wenig über die Geschichte der Stadt.\n\n' +
      'Der Weg hat einige Treppen. Bitte tragen Sie bequeme Schuhe.',
  },
  kleiderkammer: {
    title: 'Helfer*innen gesucht: Kleiderkammer',
    description:
      'In der Kleiderkammer bekommen Menschen gespendete Kleidung. ' +
      'Wir suchen Helferinnen und Helfer, die Spenden sortieren und bei der Ausgabe helfen.\n\n' +
      'Sie brauchen keine Vorkenntnisse. Auch zwei Stunden helfen schon.',
  },
  bewerbungstraining: {
    title: 'Bewerbungstraining',
    description:
      'Wie schreibe ich einen Lebenslauf? Was sage ich im Vorstellungsgespräch? ' +
      'Wir üben es gemeinsam, Schritt für Schritt.\n\n' +
      'Bringen Sie, wenn möglich, Ihre Zeugnisse mit. Ein Laptop ist nicht nötig.',
  },
  spieleabend: {
    title: 'Spieleabend',
    description:
      'Brettspiele, Kartenspiele und Quiz für Groß und Klein. ' +
      'Spiele erklären sich oft ohne viele Worte – so lernt man sich leicht kennen.\n\n' +
      'Sie können auch Spiele aus Ihrer Heimat mitbringen.',
  },
  naehwerkstatt: {
    title: 'Nähwerkstatt',
    description:
      'Wir nähen, flicken und ändern Kleidung zusammen. ' +
      'Nähmaschinen, Garn und Stoffe sind vorhanden.\n\n' +
      'Ob Anfängerin oder Profi: Jede und jeder kann mitmachen.',
  },
  seniorencafe: {
    title: 'Seniorencafé',
    description:
      'Bei Kaffee und Kuchen treffen sich ältere Menschen aus der Nachbarschaft. ' +
      'Neue Gesichter sind besonders willkommen.\n\n' +
      'Der Raum ist ebenerdig und gut mit dem Rollator erreichbar.',
  },
  jugendtreff: {
    title: 'Jugendtreff',
    description:
      'Für Jugendliche von 12 bis 18 Jahren: Kicker, Musik, Snacks und Leute kennenlernen. ' +
      'Zwei Betreuer sind immer da.\n\n' +
      'Der Eintritt ist frei.',
  },
  kuemmererInfo: {
    title: 'Online-Infoabend: Kümmerer werden',
    description:
      'Als Kümmerer begleiten Sie eine neu zugezogene Person oder Familie im Alltag, zum Beispiel beim ersten Gang zum Amt. ' +
      'An diesem Abend erzählen erfahrene Kümmerer von ihren Erfahrungen.\n\n' +
      'Das Treffen findet online statt. Den Link bekommen Sie nach der Anmeldung.',
    translations: {
      en: {
        title: 'Online information evening: becoming a Kümmerer',
        description:
          'As a Kümmerer you accompany a newcomer or a family in everyday life, for example on their first visit to a public office. ' +
          'This evening, experienced Kümmerer talk about what they do.\n\n' +
          'The meeting is online. You get the link after signing up.',
      },
    },
  },
  hausaufgabenhilfe: {
    title: 'Helfer*innen gesucht: Hausaufgabenhilfe',
    description:
      'Kinder brauchen manchmal Hilfe bei den Hausaufgaben, besonders in Deutsch und Mathe. ' +
      'Wir suchen Menschen, die einmal pro Woche eine Stunde Zeit haben.\n\n' +
      'Kommen Sie zum Kennenlernen in die Bibliothek.',
  },
} satisfies Record<string, ActivityText>;

function buildActivitySpecs(today: CalendarDay): ActivitySpec[] {
  /** Days from today to the n-th (0-based) coming weekday, never today itself. */
  const on = (weekday: number, week = 0) => (((weekday - today.weekday + 7) % 7) || 7) + 7 * week;
  const MON = 1, TUE = 2, WED = 3, THU = 4, FRI = 5, SAT = 6, SUN = 0;
  const specs: ActivitySpec[] = [];

  // The weekly language café is added separately (it may take place later today).

  // German course A1: Mondays and Wednesdays for four weeks.
  for (let week = 0; week < 4; week++) {
    for (const weekday of [MON, WED]) {
      specs.push({
        ...TEXT.deutschkursA1,
        org: 'integrationsbuero',
        category: 'language',
        day: on(weekday, week),
        start: [9, 0],
        end: [11, 30],
        place: PLACES.integrationsbuero,
        capacity: 15,
        languages: ['de'],
        german_level: 'A1',
        childcare: true,
        wheelchair_accessible: true,
        contact_name: 'Thomas Weber',
      });
    }
  }

  for (const week of [0, 2]) {
    specs.push({
      ...TEXT.fahrradwerkstatt,
      org: 'stellwerk',
      category: 'leisure',
      day: on(SAT, week),
      start: [10, 0],
      end: [13, 0],
      place: PLACES.stellwerkWerkstatt,
      capacity: null,
      languages: ['de', 'en', 'ar'],
      wheelchair_accessible: true,
      contact_name: 'Jana Becker',
    });
  }

  for (const week of [0, 2]) {
    specs.push({
      ...TEXT.frauenSchwimmen,
      org: 'tus-sport',
      category: 'sports',
      day: on(FRI, week),
      start: [18, 0],
      end: [19, 30],
      place: PLACES.hallenbad,
      capacity: 12,
      languages: ['de', 'ar', 'fa'],
      audience: ['women'],
      childcare: true,
      contact_name: 'Jana Becker',
    });
  }

  for (const week of [1, 4]) {
    specs.push({
      ...TEXT.kinderbasteln,
      org: 'stadtbibliothek',
      category: 'leisure',
      day: on(WED, week),
      start: [15, 0],
      end: [16, 30],
      place: PLACES.bibliothek,
      capacity: 12,
      languages: ['de', 'uk'],
      audience: ['children', 'families'],
      childcare: true,
      wheelchair_accessible: true,
      contact_name: 'Petra Schulte',
    });
  }

  specs.push({
    ...TEXT.lesung,
    org: 'stadtbibliothek',
    category: 'culture',
    day: on(THU, 2),
    start: [19, 0],
    end: [20, 30],
    place: PLACES.bibliothek,
    capacity: 40,
    rsvpDayBefore: true,
    languages: ['de'],
    wheelchair_accessible: true,
    cost: '3 € (ermäßigt frei)',
    contact_name: 'Petra Schulte',
  });

  specs.push({
    ...TEXT.museum,
    org: 'integrationsbuero',
    category: 'culture',
    day: on(SAT, 3),
    start: [14, 0],
    end: [16, 0],
    place: PLACES.museum,
    capacity: 15,
    rsvpDayBefore: true,
    languages: ['de', 'ar', 'uk'],
    contact_name: 'Thomas Weber',
  });

  for (const week of [0, 1, 3]) {
    specs.push({
      ...TEXT.fussball,
      org: 'tus-sport',
      category: 'sports',
      day: on(SAT, week),
      start: [15, 0],
      end: [17, 0],
      place: PLACES.sportplatz,
      capacity: null,
      languages: ['de', 'en', 'ar', 'fa', 'tr'],
      contact_name: 'Jana Becker',
    });
  }

  for (const week of [1, 3]) {
    specs.push({
      ...TEXT.anerkennung,
      org: 'integrationsbuero',
      category: 'integration',
      day: on(TUE, week),
      start: [10, 0],
      end: [12, 0],
      place: PLACES.integrationsbuero,
      capacity: 8,
      rsvpDayBefore: true,
      languages: ['de', 'en', 'ar'],
      wheelchair_accessible: true,
      contact_name: 'Thomas Weber',
    });
  }

  for (const week of [0, 2]) {
    specs.push({
      ...TEXT.behoerdenpost,
      org: 'integrationsbuero',
      category: 'integration',
      day: on(THU, week),
      start: [10, 0],
      end: [12, 0],
      place: PLACES.integrationsbuero,
      capacity: null,
      languages: ['de', 'ar', 'uk', 'fa'],
      wheelchair_accessible: true,
      contact_name: 'Thomas Weber',
    });
  }

  specs.push({
    ...TEXT.elterncafe,
    org: 'stellwerk',
    category: 'integration',
    day: on(TUE, 0),
    start: [15, 0],
    end: [17, 0],
    place: PLACES.gemeindehaus,
    capacity: 20,
    languages: ['de', 'ar', 'uk', 'tr'],
    audience: ['families'],
    childcare: true,
    wheelchair_accessible: true,
    contact_name: 'Jana Becker',
  });

  specs.push({
    ...TEXT.kochabend,
    org: 'stellwerk',
    category: 'leisure',
    day: on(FRI, 3),
    start: [18, 0],
    end: [21, 0],
    place: PLACES.stellwerk,
    capacity: 12,
    rsvpDayBefore: true,
    languages: ['de', 'ar'],
    contact_name: 'Jana Becker',
  });

  specs.push({
    ...TEXT.stadtfuehrung,
    org: 'stellwerk',
    category: 'culture',
    day: on(SUN, 2),
    start: [14, 0],
    end: [16, 0],
    place: PLACES.markt,
    capacity: 20,
    languages: ['de', 'en', 'uk'],
    contact_name: 'Klaus Hoffmann',
  });

  for (const week of [1, 4]) {
    specs.push({
      ...TEXT.kleiderkammer,
      org: 'stellwerk',
      category: 'volunteering',
      day: on(SAT, week),
      start: [10, 0],
      end: [13, 0],
      place: PLACES.kleiderkammer,
      capacity: 6,
      languages: ['de'],
      contact_name: 'Thomas Weber',
    });
  }

  specs.push({
    ...TEXT.bewerbungstraining,
    org: 'integrationsbuero',
    category: 'integration',
    day: on(WED, 5),
    start: [14, 0],
    end: [17, 0],
    place: PLACES.integrationsbuero,
    capacity: 10,
    rsvpDayBefore: true,
    languages: ['de', 'en'],
    wheelchair_accessible: true,
    contact_name: 'Thomas Weber',
  });

  specs.push({
    ...TEXT.spieleabend,
    org: 'stadtbibliothek',
    category: 'leisure',
    day: on(FRI, 1),
    start: [18, 0],
    end: [21, 0],
    place: PLACES.bibliothek,
    capacity: null,
    languages: ['de', 'en', 'ar', 'uk'],
    audience: ['families'],
    wheelchair_accessible: true,
    contact_name: 'Petra Schulte',
  });

  specs.push({
    ...TEXT.naehwerkstatt,
    org: 'stellwerk',
    category: 'leisure',
    day: on(MON, 2),
    start: [15, 0],
    end: [18, 0],
    place: PLACES.stellwerk,
    capacity: 8,
    languages: ['de', 'fa', 'ar'],
    contact_name: 'Jana Becker',
  });

  specs.push({
    ...TEXT.seniorencafe,
    org: 'stellwerk',
    category: 'leisure',
    day: on(WED, 2),
    start: [14, 30],
    end: [16, 30],
    place: PLACES.gemeindehaus,
    capacity: 30,
    languages: ['de'],
    audience: ['seniors'],
    wheelchair_accessible: true,
    contact_name: 'Klaus Hoffmann',
  });

  specs.push({
    ...TEXT.jugendtreff,
    org: 'tus-sport',
    category: 'leisure',
    day: on(FRI, 4),
    start: [17, 0],
    end: [20, 0],
    place: PLACES.jugendhaus,
    capacity: null,
    languages: ['de', 'en', 'ar', 'uk'],
    audience: ['youth'],
    contact_name: 'Jana Becker',
  });

  specs.push({
    ...TEXT.kuemmererInfo,
    org: 'stellwerk',
    category: 'volunteering',
    day: on(TUE, 2),
    start: [19, 0],
    end: [20, 30],
    online_url: 'https://example.org/ankommen-demo/kuemmerer-infoabend',
    capacity: 30,
    rsvpDayBefore: true,
    languages: ['de'],
    contact_name: 'Thomas Weber',
  });

  specs.push({
    ...TEXT.hausaufgabenhilfe,
    org: 'stadtbibliothek',
    category: 'volunteering',
    day: on(MON, 3),
    start: [15, 0],
    end: [17, 0],
    place: PLACES.bibliothek,
    capacity: null,
    languages: ['de'],
    wheelchair_accessible: true,
    contact_name: 'Petra Schulte',
  });

  // Not yet published: organisers see it in their list, the public does not.
  specs.push({
    ...TEXT.deutschkursA2,
    org: 'integrationsbuero',
    category: 'language',
    status: 'draft',
    day: on(MON, 6),
    start: [9, 0],
    end: [11, 30],
    place: PLACES.integrationsbuero,
    capacity: 15,
    languages: ['de'],
    german_level: 'A2',
    childcare: true,
    wheelchair_accessible: true,
    contact_name: 'Thomas Weber',
  });

  return specs;
}

/** Eight weekly language cafés on Thursdays 18:00–20:00, the first one still ahead of `now`. */
function languageCafeSpecs(timeZone: string, now: Date, today: CalendarDay): ActivitySpec[] {
  const THU = 4;
  let first = (THU - today.weekday + 7) % 7;
  const t = calendarDay(today.y, today.m, today.d, first);
  if (zonedTimeToInstant(timeZone, t.y, t.m, t.d, 18, 0).getTime() <= now.getTime()) first += 7;
  return Array.from({ length: 8 }, (_, week) => ({
    ...TEXT.sprachcafe,
    org: 'stellwerk' as const,
    category: 'language' as const,
    day: first + 7 * week,
    start: [18, 0] as [number, number],
    end: [20, 0] as [number, number],
    place: PLACES.stellwerk,
    capacity: 25,
    languages: ['de', 'ar', 'uk', 'fa', 'tr', 'en'],
    childcare: true,
    wheelchair_accessible: true,
    contact_name: 'Jana Becker',
  }));
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Volunteer roles: hands the organisers are still looking for, so that "help wanted" has
// something to offer and an organiser sees filled / needed at once.

interface RoleSpec {
  /** The activity, by its German title (the first one with that title). */
  activity: string;
  name: string;
  people_needed: number;
  /** Minutes before the activity's start and after its end, when the shift differs from it. */
  window?: { before: number; after: number };
  what_to_bring?: string;
  skills?: VolunteerSkill[];
  languages?: string[];
  /** Demo people already signed up. */
  signedUp?: PersonKey[];
}

const ROLES: RoleSpec[] = [
  { activity: 'Kochabend: Gerichte aus Syrien und dem Sauerland', name: 'Einkaufen und Gemüse schnippeln', people_needed: 3, window: { before: 90, after: -120 }, skills: ['cooking'] },
  { activity: 'Kochabend: Gerichte aus Syrien und dem Sauerland', name: 'Abwasch und Aufräumen', people_needed: 2, window: { before: -60, after: 30 }, signedUp: ['resident'] },
  {
    activity: 'Kochabend: Gerichte aus Syrien und dem Sauerland',
    name: 'Dolmetschen Arabisch–Deutsch',
    people_needed: 1,
    skills: ['translating'],
    languages: ['ar'],
    what_to_bring: 'Nur Zeit und gute Laune; Rezepte liegen auf Deutsch und Arabisch aus.',
  },
  { activity: 'Gemeinsamer Besuch im Stadtmuseum', name: 'Fahrer*in mit Auto', people_needed: 2, window: { before: 30, after: 30 }, skills: ['driving'], what_to_bring: 'Ein Auto mit freien Plätzen; ein Kindersitz wäre schön.' },
  { activity: 'Stadtführung für Neue', name: 'Begleitung mit Ukrainisch', people_needed: 1, skills: ['accompanying', 'translating'], languages: ['uk'] },
  { activity: 'Spieleabend', name: 'Tische und Spiele aufbauen', people_needed: 2, window: { before: 45, after: -150 }, skills: ['setup'] },
  { activity: 'Fußball für alle', name: 'Kinderbetreuung am Spielfeldrand', people_needed: 2, skills: ['childcare'] },
  { activity: 'Helfer*innen gesucht: Kleiderkammer', name: 'Spenden sortieren', people_needed: 4, skills: ['setup'], what_to_bring: 'Bequeme Kleidung.' },
  { activity: 'Helfer*innen gesucht: Hausaufgabenhilfe', name: 'Mathe und Deutsch mit Grundschulkindern', people_needed: 3, skills: ['tutoring'] },
];

/** An activity's row from its spec, at its day and times in the town's calendar. */
function activityRow(s: ActivitySpec, at: (day: number, time: [number, number]) => Date, orgId: Map<OrgSlug, number>, userId: Map<PersonKey, number>) {
  const startsAt = at(s.day, s.start);
  const endsAt = at(s.day, s.end);
  return {
    organisation_id: orgId.get(s.org)!,
    status: s.status ?? 'published',
    title: s.title,
    description: s.description,
    source_locale: 'de' as const,
    translations: JSON.stringify(s.translations ?? {}),
    category: s.category,
    starts_at: startsAt,
    ends_at: endsAt,
    place_name: s.place?.place_name ?? null,
    address: s.place?.address ?? null,
    online_url: s.online_url ?? null,
    capacity: s.capacity ?? null,
    rsvp_deadline: s.rsvpDayBefore ? at(s.day - 1, s.start) : null,
    languages: s.languages ?? ['de'],
    german_level: s.german_level ?? null,
    audience: s.audience ?? [],
    childcare: s.childcare ?? false,
    wheelchair_accessible: s.wheelchair_accessible ?? false,
    cost: s.cost ?? null,
    contact_name: s.contact_name ?? null,
    revision: 0,
    created_by: userId.get(POSTED_BY[s.org])!,
  };
}

export async function loadDemoTown(
  db: Kysely<Database>,
  options: { now: Date; timeZone: string },
): Promise<DemoSummary> {
  const { now, timeZone } = options;
  if (await hasDemoTown(db)) {
    throw new Error('The demo town is already loaded in this database; it can only be loaded once.');
  }

  // Hash before the transaction: the embedded database runs every query through one
  // connection, and slow hashing inside the transaction would hold it up.
  const hashes = await Promise.all(PEOPLE.map(() => hashPassword(DEMO_PASSWORD)));

  const today = zonedToday(timeZone, now);
  const specs = [...languageCafeSpecs(timeZone, now, today), ...buildActivitySpecs(today)];
  const at = (day: number, [h, min]: [number, number]) => {
    const c = calendarDay(today.y, today.m, today.d, day);
    return zonedTimeToInstant(timeZone, c.y, c.m, c.d, h, min);
  };

  return db.transaction().execute(async (trx) => {
    // Checked again inside the transaction in case another loader ran meanwhile.
    const marker = await trx.selectFrom('app_setting').select('key').where('key', '=', DEMO_TOWN_SETTING).executeTakeFirst();
    if (marker) throw new Error('The demo town is already loaded in this database; it can only be loaded once.');

    const takenEmails = await trx
      .selectFrom('app_user')
      .select('email')
      .where('email', 'in', PEOPLE.map((p) => p.email))
      .execute();
    if (takenEmails.length > 0) {
      throw new Error(`Cannot load the demo town: these accounts already exist: ${takenEmails.map((r) => r.email).join(', ')}.`);
    }
    const takenSlugs = await trx
      .selectFrom('organisation')
      .select('slug')
      .where('slug', 'in', ORGANISATIONS.map((o) => o.slug))
      .execute();
    if (takenSlugs.length > 0) {
      throw new Error(`Cannot load the demo town: these organisations already exist: ${takenSlugs.map((r) => r.slug).join(', ')}.`);
    }

    const orgRows = await trx.insertInto('organisation').values(ORGANISATIONS).returning(['id', 'slug']).execute();
    const orgId = new Map(orgRows.map((r) => [r.slug as OrgSlug, r.id]));

    const userId = new Map<PersonKey, number>();
    for (const [i, person] of PEOPLE.entries()) {
      const row = await trx
        .insertInto('app_user')
        .values({
          email: person.email,
          email_verified_at: now,
          password_hash: hashes[i]!,
          display_name: person.displayName,
          locale: person.locale,
          is_admin: person.isAdmin ?? false,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId.set(person.key, row.id);
    }

    const memberships = PEOPLE.flatMap((person) =>
      person.memberships.map((m) => ({ organisation_id: orgId.get(m.org)!, user_id: userId.get(person.key)!, role: m.role })),
    );
    await trx.insertInto('membership').values(memberships).execute();

    const activityRows = specs.map((spec) => activityRow(spec, at, orgId, userId));
    const inserted = await trx.insertInto('activity').values(activityRows).returning(['id', 'title', 'starts_at']).execute();

    // The language cafés are one weekly series, as an organiser would have made them, so that
    // calendar feeds show them as one repeating event.
    const cafes = inserted.filter((a) => a.title.startsWith('Sprachcafé'));
    if (cafes.length > 1) {
      const series = await trx
        .insertInto('activity_series')
        .values({ organisation_id: orgId.get('stellwerk')!, frequency: 'weekly', created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('activity').set({ series_id: series.id, series_slot: sql`starts_at` }).where('id', 'in', cafes.map((c) => c.id)).execute();
    }

    // A few RSVPs, so that an organiser trying the demo finds names at the door of the next
    // language café. Newcomers' accounts stay free for trying RSVPs out.
    const firstCafe = inserted.filter((a) => a.title.startsWith('Sprachcafé')).sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime())[0];
    if (firstCafe) {
      await trx
        .insertInto('rsvp')
        .values([
          // Answered "I'm coming" to the reminder's one-tap link: the door shows it.
          { activity_id: firstCafe.id, user_id: userId.get('resident')!, party_size: 1, note: '', status: 'going', confirmed_at: now, created_by: userId.get('resident')!, created_at: now, updated_at: now },
          {
            activity_id: firstCafe.id,
            user_id: userId.get('kuemmerer')!,
            party_size: 2,
            note: 'Ich bringe eine Nachbarin mit, die Dari spricht.',
            status: 'going',
            created_by: userId.get('kuemmerer')!,
            created_at: now,
            updated_at: now,
          },
        ])
        .execute();
    }

    // The Ukrainian newcomer gets the weekly programme: everything that needs no German.
    await trx.insertInto('notification_setting').values({ user_id: userId.get('newcomerUk')!, topic: 'weekly_programme', email: true, telegram: false }).execute();
    await trx.insertInto('programme_subscription').values({ user_id: userId.get('newcomerUk')!, categories: [], no_german_needed: true }).execute();

    await insertDemoRoles(trx, inserted, userId, now);
    await insertDemoMentoring(trx, userId, at, now);
    await insertDemoConsultations(trx, orgId, userId, at, today, now);
    await insertDemoHelpRequests(trx, userId, at, now, timeZone);
    // Last: the past year's activities get ids after the coming ones (the first activity stays
    // the next language café, which the browser tests open as /activities/1).
    const pastActivities = await insertDemoPastYear(trx, orgId, userId, at, today, now, timeZone);
    await insertDemoPendingHoursOfResident(trx, orgId, userId, now);

    const signIns = PEOPLE.map((p) => ({ key: p.key, role: p.role, email: p.email, password: DEMO_PASSWORD, displayName: p.displayName }));
    await storeTownDetails(trx, demoTownDetails(now), { keepExisting: true });
    // The marker carries the sign-ins so that the home page can offer them (demo only).
    await trx
      .insertInto('app_setting')
      .values({ key: DEMO_TOWN_SETTING, value: JSON.stringify({ loadedAt: now.toISOString(), signIns }) })
      .execute();

    return { organisations: orgRows.length, activities: activityRows.length + pastActivities, signIns };
  });
}

async function insertDemoRoles(
  trx: Transaction<Database>,
  activities: { id: number; title: string; starts_at: Date }[],
  userId: Map<PersonKey, number>,
  now: Date,
): Promise<void> {
  const byTitle = new Map<string, { id: number; starts_at: Date }>();
  for (const a of [...activities].sort((x, y) => x.starts_at.getTime() - y.starts_at.getTime())) if (!byTitle.has(a.title)) byTitle.set(a.title, a);
  const ends = new Map((await trx.selectFrom('activity').select(['id', 'ends_at']).where('id', 'in', [...byTitle.values()].map((a) => a.id)).execute()).map((r) => [r.id, r.ends_at]));
  for (const spec of ROLES) {
    const activity = byTitle.get(spec.activity);
    if (!activity) throw new Error(`demo role for a missing activity: ${spec.activity}`);
    const minutes = (n: number) => n * 60_000;
    const role = await trx
      .insertInto('volunteer_role')
      .values({
        activity_id: activity.id,
        name: spec.name,
        people_needed: spec.people_needed,
        starts_at: spec.window ? new Date(activity.starts_at.getTime() - minutes(spec.window.before)) : null,
        ends_at: spec.window ? new Date(ends.get(activity.id)!.getTime() + minutes(spec.window.after)) : null,
        what_to_bring: spec.what_to_bring ?? '',
        skills: spec.skills ?? [],
        languages: spec.languages ?? [],
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const person of spec.signedUp ?? []) {
      await trx.insertInto('volunteer_signup').values({ role_id: role.id, user_id: userId.get(person)!, status: 'active', created_at: now, updated_at: now }).execute();
    }
  }
}

/**
 * Kümmerer mentoring as a coordinator finds it on an ordinary day: two approved Kümmerer (one
 * mentoring the Ukrainian newcomer, with a meeting behind them and one ahead), and an open
 * request, waiting for six days, from a man the coordinator registered without an e-mail
 * address — each with the consent that goes with it (online; on paper). The Arabic newcomer
 * and the future Kümmerer are left free to try it all out.
 */
async function insertDemoMentoring(
  trx: Transaction<Database>,
  userId: Map<PersonKey, number>,
  at: (day: number, time: [number, number]) => Date,
  now: Date,
): Promise<void> {
  const coordinator = userId.get('coordinator')!;
  const mentor = userId.get('mentor')!;
  const newcomer = userId.get('newcomerUk')!;
  const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60_000);
  await trx
    .insertInto('kuemmerer')
    .values([
      {
        user_id: mentor,
        status: 'approved',
        topics: ['paperwork', 'housing', 'jobs'],
        languages: ['de', 'uk', 'ru', 'en'],
        max_mentees: 3,
        note: 'Ich war 30 Jahre bei der Sparkasse und kenne mich mit Formularen aus. Ich habe in Kiew studiert.',
        contact_details: 'Telefon und Signal: 0176 5550123 (abends)',
        code_of_conduct_accepted_at: daysAgo(60),
        decided_by: coordinator,
        decided_at: daysAgo(58),
        created_at: daysAgo(60),
        updated_at: daysAgo(58),
      },
      {
        user_id: userId.get('mentorTr')!,
        status: 'approved',
        topics: ['german', 'school', 'everyday'],
        languages: ['de', 'tr', 'en'],
        max_mentees: 2,
        note: 'Grundschullehrerin im Ruhestand.',
        contact_details: 'E-Mail über die Koordination, Telefon 02352 555 014',
        code_of_conduct_accepted_at: daysAgo(30),
        decided_by: coordinator,
        decided_at: daysAgo(29),
        created_at: daysAgo(30),
        updated_at: daysAgo(29),
      },
    ])
    .execute();

  const request = await trx
    .insertInto('mentoring_request')
    .values({
      newcomer_user_id: newcomer,
      topics: ['paperwork', 'housing'],
      languages: ['uk', 'ru'],
      note: 'Ich suche eine größere Wohnung für mich und meine zwei Kinder und verstehe die Briefe vom Jobcenter nicht.',
      contact_preference: 'messenger',
      contact_detail: 'Signal: 0157 5550456',
      status: 'matched',
      created_by: newcomer,
      created_at: daysAgo(25),
      updated_at: daysAgo(21),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // She ticked the consent box with her request, as the request form asks.
  await trx
    .insertInto('consent')
    .values({ user_id: newcomer, purpose: 'mentoring_needs', text_version: CONSENT_PURPOSES.mentoring_needs.version, given_at: daysAgo(25), given_how: 'online', created_at: daysAgo(25) })
    .execute();
  const mentorship = await trx
    .insertInto('mentorship')
    .values({ request_id: request.id, kuemmerer_user_id: mentor, newcomer_user_id: newcomer, status: 'active', started_at: daysAgo(21), assigned_by: coordinator, updated_at: daysAgo(21) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('mentoring_meeting')
    .values([
      {
        mentorship_id: mentorship.id,
        starts_at: at(-10, [16, 0]),
        ends_at: at(-10, [17, 30]),
        place: 'Stellwerk, Café',
        topics: ['paperwork'],
        private_note: 'Bescheid vom Jobcenter zusammen gelesen; Widerspruchsfrist notiert.',
        created_by: mentor,
        created_at: daysAgo(10),
        updated_at: daysAgo(10),
      },
      {
        mentorship_id: mentorship.id,
        starts_at: at(4, [10, 0]),
        ends_at: at(4, [11, 0]),
        place: 'Wohnungsbaugesellschaft, Lennestraße 40',
        topics: ['housing'],
        private_note: 'Wohnungsbesichtigung; Mietbescheinigung mitnehmen.',
        created_by: mentor,
        created_at: daysAgo(3),
        updated_at: daysAgo(3),
      },
    ])
    .execute();

  // Registered by the coordinator at the Integration Office: no e-mail address and no
  // password yet (a claim code, printed for him, lets him set up his sign-in later).
  const ahmad = await trx
    .insertInto('app_user')
    .values({ email: null, password_hash: null, display_name: 'Ahmad Karimi', locale: 'fa', sign_in_name: 'ahmad', registered_by_coordination: true, created_at: daysAgo(6) })
    .returning('id')
    .executeTakeFirstOrThrow();
  // He signed the consent form (in Persian and German) at the office; the coordinator recorded it.
  await trx
    .insertInto('consent')
    .values({ user_id: ahmad.id, purpose: 'mentoring_needs', text_version: CONSENT_PURPOSES.mentoring_needs.version, given_at: daysAgo(6), given_how: 'paper', recorded_by: coordinator, created_at: daysAgo(6) })
    .execute();
  await trx
    .insertInto('mentoring_request')
    .values({
      newcomer_user_id: ahmad.id,
      topics: ['housing', 'jobs'],
      languages: ['fa', 'en'],
      note: 'Tischler mit Berufserfahrung aus Herat; sucht Arbeit und eine Wohnung für die Familie.',
      contact_preference: 'coordinator',
      contact_detail: '',
      status: 'open',
      created_by: coordinator,
      created_at: daysAgo(6),
      updated_at: daysAgo(6),
    })
    .execute();
}

/** The next day of the week (0 = Sunday) after today, as days from today. */
function daysUntil(today: CalendarDay, weekday: number): number {
  return ((weekday - today.weekday + 7) % 7) || 7;
}

/**
 * Weekly consultation hours for the next four weeks: the Integration Office on Tuesday
 * mornings (German, English, Arabic, Ukrainian), Stellwerk on Thursday mornings (German,
 * Arabic, Turkish). Three bookings: the Ukrainian newcomer, booked by her Kümmerer; the Arabic
 * newcomer at Stellwerk; and Ahmad, booked by the coordinator, in Persian, which nobody on duty
 * speaks, so its interpreting request is open for a volunteer to take. The request is written
 * directly (as createHelpRequest's row would be): loading the demo tells nobody.
 */
async function insertDemoConsultations(
  trx: Transaction<Database>,
  orgId: Map<OrgSlug, number>,
  userId: Map<PersonKey, number>,
  at: (day: number, time: [number, number]) => Date,
  today: CalendarDay,
  now: Date,
): Promise<void> {
  const weekly = [
    { org: 'integrationsbuero' as const, weekday: 2, start: [9, 0] as [number, number], end: [12, 0] as [number, number], slot: 30, place: 'Integrationsbüro, Raum 104, Am Rathausplatz 3', topics: ['residence', 'housing', 'work', 'qualifications', 'school'], languages: ['de', 'en', 'ar', 'uk'], by: 'coordinator' as const },
    { org: 'stellwerk' as const, weekday: 4, start: [10, 0] as [number, number], end: [12, 0] as [number, number], slot: 20, place: 'Stellwerk, Beratungsraum, Lennestraße 12', topics: ['housing', 'work', 'health', 'other'], languages: ['de', 'ar', 'tr'], by: 'organiser' as const },
  ];
  const firstSlots = new Map<OrgSlug, Array<{ id: number; starts_at: Date }>>();
  for (const h of weekly) {
    for (let week = 0; week < 4; week++) {
      const day = daysUntil(today, h.weekday) + 7 * week;
      const startsAt = at(day, h.start);
      const endsAt = at(day, h.end);
      const hour = await trx
        .insertInto('consultation_hour')
        .values({ organisation_id: orgId.get(h.org)!, starts_at: startsAt, ends_at: endsAt, slot_minutes: h.slot, remote: false, place: h.place, topics: h.topics, languages: h.languages, created_by: userId.get(h.by)!, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const starts: Date[] = [];
      for (let t = startsAt.getTime(); t + h.slot * 60_000 <= endsAt.getTime(); t += h.slot * 60_000) starts.push(new Date(t));
      const slots = await trx
        .insertInto('consultation_slot')
        .values(starts.map((start) => ({ hour_id: hour.id, starts_at: start, ends_at: new Date(start.getTime() + h.slot * 60_000) })))
        .returning(['id', 'starts_at'])
        .execute();
      if (week === 0) firstSlots.set(h.org, slots);
    }
  }
  const office = firstSlots.get('integrationsbuero')!;
  const stellwerk = firstSlots.get('stellwerk')!;
  const ahmad = await trx.selectFrom('app_user').select('id').where('sign_in_name', '=', 'ahmad').executeTakeFirstOrThrow();
  const bookings = await trx
    .insertInto('consultation_booking')
    .values([
      { slot_id: office[1]!.id, user_id: userId.get('newcomerUk')!, booked_by_user_id: userId.get('mentor')!, topic: 'housing', language: 'uk', note: 'Wohnberechtigungsschein beantragen', interpreter_needed: false, status: 'booked', created_at: now, updated_at: now },
      { slot_id: stellwerk[0]!.id, user_id: userId.get('newcomerAr')!, topic: 'work', language: 'ar', note: '', interpreter_needed: false, status: 'booked', created_at: now, updated_at: now },
      { slot_id: office[3]!.id, user_id: ahmad.id, booked_by_user_id: userId.get('coordinator')!, topic: 'qualifications', language: 'fa', note: 'Gesellenbrief als Tischler aus Herat anerkennen lassen', interpreter_needed: true, status: 'booked', created_at: now, updated_at: now },
    ])
    .returning(['id', 'interpreter_needed'])
    .execute();
  const needing = bookings.find((b) => b.interpreter_needed)!;
  await trx
    .insertInto('help_request')
    .values({
      asker_user_id: ahmad.id,
      posted_by_user_id: userId.get('coordinator')!,
      kind: 'interpreting',
      starts_at: office[3]!.starts_at,
      week_of: null,
      district: 'Integrationsbüro, Raum 104, Am Rathausplatz 3',
      address: 'Integrationsbüro, Raum 104, Am Rathausplatz 3',
      languages: ['fa'],
      note: 'Integrationsbüro · Thema: Anerkennung von Abschlüssen',
      consultation_booking_id: needing.id,
      status: 'open',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * Help requests as a helper and a coordinator find them: open ones on "Help wanted"
 * (interpreting in Dari — written as Persian, the language the portal knows it by — a lift
 * with a child seat, an accompaniment to the Ausländerbehörde the Ukrainian newcomer's Kümmerer
 * posted for her, and one for "any time this week"), one taken with both sides' contacts, and
 * one done and thanked. Written straight to the tables: no mails go out for a demo.
 */
async function insertDemoHelpRequests(
  trx: Transaction<Database>,
  userId: Map<PersonKey, number>,
  at: (day: number, time: [number, number]) => Date,
  now: Date,
  timeZone: string,
): Promise<void> {
  const newcomerAr = userId.get('newcomerAr')!;
  const newcomerUk = userId.get('newcomerUk')!;
  const helper = userId.get('resident')!;
  const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60_000);
  const base = { wants_woman: false, needs_car: false, needs_child_seat: false, created_at: daysAgo(2), updated_at: daysAgo(2) };
  await trx
    .insertInto('help_request')
    .values([
      {
        ...base,
        asker_user_id: newcomerAr,
        kind: 'interpreting',
        starts_at: at(3, [9, 30]),
        district: 'Altena-Mitte',
        address: 'Jobcenter, Lennestraße 75, 58762 Altena',
        languages: ['fa', 'de'],
        note: 'Ein Termin für meinen Nachbarn, er spricht Dari.',
        asker_contact: 'WhatsApp 0157 5550789',
        status: 'open',
      },
      {
        ...base,
        asker_user_id: newcomerAr,
        kind: 'lift',
        starts_at: at(5, [14, 0]),
        district: 'Evingsen',
        address: 'Am Hegenscheid 4, 58762 Altena',
        languages: ['ar', 'de'],
        needs_car: true,
        needs_child_seat: true,
        note: 'Zur Kinderärztin in Lüdenscheid, mit meiner Tochter (3 Jahre).',
        status: 'open',
      },
      {
        ...base,
        asker_user_id: newcomerUk,
        posted_by_user_id: userId.get('mentor')!,
        kind: 'authority',
        starts_at: at(6, [10, 0]),
        district: 'Altena-Mitte',
        address: 'Ausländerbehörde, Bismarckstraße 17, 58762 Altena',
        languages: ['uk', 'de'],
        wants_woman: true,
        note: 'Verlängerung des Aufenthaltstitels; Pass und Meldebescheinigung sind dabei.',
        status: 'open',
      },
      {
        ...base,
        asker_user_id: newcomerUk,
        kind: 'carrying',
        starts_at: null,
        week_of: mondayOf(timeZone, now),
        district: 'Dahle',
        address: 'Dahler Straße 12, 58762 Altena',
        languages: ['uk', 'de'],
        note: 'Ein gespendetes Sofa aus dem zweiten Stock tragen.',
        status: 'open',
      },
      {
        ...base,
        asker_user_id: newcomerUk,
        kind: 'school',
        starts_at: at(2, [8, 0]),
        district: 'Altena-Mitte',
        address: 'Grundschule Breitenhagen, Breitenhagener Weg 3, 58762 Altena',
        languages: ['uk', 'de'],
        note: 'Anmeldung meines Sohnes in der 2. Klasse.',
        asker_contact: 'Signal 0157 5550456',
        helper_contact: 'Telefon 02352 555 021',
        status: 'taken',
        helper_user_id: helper,
        taken_at: daysAgo(1),
        updated_at: daysAgo(1),
      },
      {
        ...base,
        asker_user_id: newcomerAr,
        kind: 'doctor',
        starts_at: at(-6, [11, 0]),
        district: 'Altena-Mitte',
        address: 'Praxis Dr. Yılmaz, Kirchstraße 8, 58762 Altena',
        languages: ['ar', 'de'],
        note: '',
        asker_contact: 'WhatsApp 0157 5550789',
        helper_contact: 'Telefon 02352 555 021',
        health_consent_at: daysAgo(9),
        status: 'done',
        helper_user_id: helper,
        taken_at: daysAgo(8),
        minutes_spent: 90,
        finished_at: daysAgo(6),
        thanked_at: daysAgo(5),
        thanks_message: 'Danke, Klaus! Die Ärztin hat alles gut erklärt.',
        created_at: daysAgo(9),
        updated_at: daysAgo(5),
      },
    ])
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The past year: what the town did, so that attendance, volunteer hours and their confirmation
// have something to show. A weekly language café and, per organisation, a few regular
// activities going back twelve months, with people checked in at the door (anonymous after
// 30 days, as retention leaves them; walk-ins by name before that), volunteers checked in at
// their shifts — the resident on most, the Kümmerer on some — and their hours: confirmed up to
// the month before last, pending since, so that the organiser has a month to confirm. The
// Kümmerer's ended meeting and the done help request count as the services would count them,
// and Stellwerk entered a first-aid training by hand.

/** Names of walk-ins at the last month's activities (invented). */
const WALK_INS = ['Yusuf', 'Daria', 'Leila', 'Mehmet', 'Oksana', 'Rami', 'Sina', 'Tamara'];

interface PastSeries extends Omit<ActivitySpec, 'day'> {
  /** Days back from today of each date (all before today). */
  days: number[];
  role?: { name: string; people_needed: number; volunteers: (index: number) => PersonKey[] };
  /** Only dates before this month: the month's attendance is what its door records from today
   * (the library's, which the browser tests count). */
  beforeThisMonth?: true;
}

async function insertDemoPastYear(
  trx: Transaction<Database>,
  orgId: Map<OrgSlug, number>,
  userId: Map<PersonKey, number>,
  at: (day: number, time: [number, number]) => Date,
  today: CalendarDay,
  now: Date,
  timeZone: string,
): Promise<number> {
  /** Days back to the n-th (0-based) last weekday strictly before today. */
  const last = (weekday: number, n: number) => -((((today.weekday - weekday + 7) % 7) || 7) + 7 * n);
  const THU = 4, SAT = 6, TUE = 2;
  const weeks = (count: number, weekday: number, every = 1) => Array.from({ length: count }, (_, i) => last(weekday, i * every));
  const series: PastSeries[] = [
    {
      ...TEXT.sprachcafe,
      org: 'stellwerk',
      category: 'language',
      days: weeks(52, THU),
      start: [18, 0],
      end: [20, 0],
      place: PLACES.stellwerk,
      capacity: 25,
      languages: ['de', 'ar', 'uk', 'fa', 'tr', 'en'],
      childcare: true,
      wheelchair_accessible: true,
      contact_name: 'Jana Becker',
      // The resident serves at two cafés of three, the Kümmerer at every fourth.
      role: { name: 'Ausschank und Kuchen', people_needed: 2, volunteers: (i) => [...(i % 3 !== 2 ? ['resident' as const] : []), ...(i % 4 === 1 ? ['mentor' as const] : [])] },
    },
    {
      ...TEXT.kleiderkammer,
      org: 'stellwerk',
      category: 'volunteering',
      days: weeks(12, SAT, 4),
      start: [10, 0],
      end: [13, 0],
      place: PLACES.kleiderkammer,
      capacity: 6,
      contact_name: 'Thomas Weber',
      role: { name: 'Spenden sortieren', people_needed: 4, volunteers: (i) => (i % 2 === 0 ? ['resident', 'mentor'] : ['resident']) },
    },
    {
      ...TEXT.fussball,
      org: 'tus-sport',
      category: 'sports',
      days: weeks(26, SAT, 2),
      start: [15, 0],
      end: [17, 0],
      place: PLACES.sportplatz,
      capacity: null,
      languages: ['de', 'en', 'ar', 'fa', 'tr'],
      contact_name: 'Jana Becker',
      role: { name: 'Kinderbetreuung am Spielfeldrand', people_needed: 2, volunteers: (i) => (i % 2 === 0 ? ['resident'] : []) },
    },
    {
      ...TEXT.behoerdenpost,
      org: 'integrationsbuero',
      category: 'integration',
      days: weeks(12, TUE, 4),
      start: [10, 0],
      end: [12, 0],
      place: PLACES.integrationsbuero,
      capacity: null,
      languages: ['de', 'ar', 'uk', 'fa'],
      wheelchair_accessible: true,
      contact_name: 'Thomas Weber',
    },
    {
      ...TEXT.lesung,
      org: 'stadtbibliothek',
      category: 'culture',
      days: weeks(12, THU, 4).map((d) => d - 1),
      start: [19, 0],
      end: [20, 30],
      place: PLACES.bibliothek,
      capacity: 40,
      languages: ['de'],
      wheelchair_accessible: true,
      cost: '3 € (ermäßigt frei)',
      contact_name: 'Petra Schulte',
      beforeThisMonth: true,
    },
  ];
  const thisMonth = monthSpan(timeZone, monthOf(timeZone, now)).from;
  const dated = series
    .flatMap((spec) => spec.days.map((day, index) => ({ spec, index, row: activityRow({ ...spec, day }, at, orgId, userId) })))
    .filter(({ spec, row }) => !spec.beforeThisMonth || row.starts_at < thisMonth);
  const activities = await trx.insertInto('activity').values(dated.map((d) => d.row)).returning(['id', 'starts_at', 'ends_at']).execute();
  const past = dated.map((d, i) => ({ ...d, activity: activities[i]! }));

  // Who came: a few parties at each, checked in at the door.
  const monthAgo = new Date(now.getTime() - 30 * 24 * 60 * 60_000);
  const rsvps = past.flatMap(({ activity, index }) =>
    [1, 3, 2, 1].slice(0, 2 + (index % 3)).map((party, k) => {
      const recent = activity.ends_at > monthAgo;
      return {
        activity_id: activity.id,
        user_id: null,
        walk_in_name: recent ? WALK_INS[(index + k) % WALK_INS.length]! : null,
        party_size: party,
        status: 'going' as const,
        checked_in_at: activity.starts_at,
        checked_in_count: party,
        anonymised_at: recent ? null : new Date(activity.ends_at.getTime() + 30 * 24 * 60 * 60_000),
        created_at: activity.starts_at,
        updated_at: activity.starts_at,
      };
    }),
  );
  await trx.insertInto('rsvp').values(rsvps).execute();

  // Who served: one role per activity that asks for hands, its volunteers checked in.
  const withRoles = past.filter((p) => p.spec.role);
  const roles = await trx
    .insertInto('volunteer_role')
    .values(withRoles.map(({ spec, activity }) => ({ activity_id: activity.id, name: spec.role!.name, people_needed: spec.role!.people_needed, created_at: activity.starts_at, updated_at: activity.starts_at })))
    .returning(['id'])
    .execute();
  const organiser = userId.get('organiser')!;
  const signups = withRoles.flatMap(({ spec, index, activity }, i) =>
    spec.role!.volunteers(index).map((person) => ({
      role_id: roles[i]!.id,
      user_id: userId.get(person)!,
      status: 'active' as const,
      checked_in_at: activity.starts_at,
      checked_in_by: organiser,
      created_at: new Date(activity.starts_at.getTime() - 7 * 24 * 60 * 60_000),
      updated_at: activity.starts_at,
    })),
  );
  const signupIds = signups.length === 0 ? [] : await trx.insertInto('volunteer_signup').values(signups).returning('id').execute();

  // Their hours, made as a check-in makes them; the Kümmerer's ended meeting and the done help
  // request, as saving and finishing them do.
  for (const { id } of signupIds) await followShiftCheckIn(trx, id, now);
  const meetings = await trx.selectFrom('mentoring_meeting').select('id').where('ends_at', '<=', now).execute();
  for (const { id } of meetings) await followMeeting(trx, id, now);
  const done = await trx.selectFrom('help_request').select('id').where('status', '=', 'done').execute();
  for (const { id } of done) await followHelpRequest(trx, id, now);

  // A first-aid training Stellwerk gave its volunteers four months ago, entered by hand; and a
  // day of sorting donations last month, not yet confirmed.
  const stellwerk = orgId.get('stellwerk')!;
  for (const person of ['resident', 'mentor'] as const) {
    await recordByHand(trx, { userId: userId.get(person)!, organisationId: stellwerk, startsAt: at(-122, [9, 0]), minutes: 450, description: 'Schulung Erste Hilfe', place: 'DRK-Heim, Lennestraße 60' }, organiser, now);
  }
  const lastMonth = shiftMonth(monthOf(timeZone, now), -1);
  await recordByHand(
    trx,
    { userId: userId.get('resident')!, organisationId: stellwerk, startsAt: new Date(monthSpan(timeZone, lastMonth).from.getTime() + (9 * 24 + 8) * 3600_000), minutes: 240, description: 'Spendenannahme nach dem Stadtfest', place: PLACES.kleiderkammer.place_name },
    organiser,
    now,
  );

  // Confirmed up to the month before last (by the organiser for his organisations, by the
  // coordinator for the town's schemes); the last month and this one wait.
  const confirmedBefore = monthSpan(timeZone, lastMonth).from;
  const confirm = (by: number) => ({ status: 'confirmed' as const, confirmed_by: by, confirmed_at: sql<Date>`starts_at + interval '5 days'` });
  await trx.updateTable('volunteer_hours').set(confirm(organiser)).where('starts_at', '<', confirmedBefore).where('organisation_id', 'is not', null).execute();
  await trx.updateTable('volunteer_hours').set(confirm(userId.get('coordinator')!)).where('starts_at', '<', confirmedBefore).where('organisation_id', 'is', null).execute();
  return activities.length;
}

// One entry of this morning, still pending, that the resident can correct on "My hours" (the
// browser test does): the past year's entries are all older than today.
async function insertDemoPendingHoursOfResident(trx: Transaction<Database>, orgId: Map<OrgSlug, number>, userId: Map<PersonKey, number>, now: Date): Promise<void> {
  await recordByHand(
    trx,
    { userId: userId.get('resident')!, organisationId: orgId.get('stellwerk')!, startsAt: new Date(now.getTime() - 2 * 3600_000), minutes: 120, description: 'Kleiderkammer sortieren', place: 'Stellwerk' },
    userId.get('organiser')!,
    now,
  );
}
