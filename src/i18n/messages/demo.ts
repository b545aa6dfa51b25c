// The demo town's sign-ins as the home page names them, in every language. One label per demo
// person (DemoPersonKey), so a person added to the demo town without a label fails the type check.
import type { DemoPersonKey } from '../../features/demo/demo-town.ts';
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  'demo.role.admin': 'Verwaltung der Plattform',
  'demo.role.organiser': 'Veranstalterin (Stellwerk, Sportverein)',
  'demo.role.coordinator': 'Koordinator (Integrationsbüro, Stellwerk)',
  'demo.role.librarian': 'Veranstalterin (Bibliothek)',
  'demo.role.resident': 'Einwohner, hilft ehrenamtlich',
  'demo.role.newcomerAr': 'Neu angekommen (spricht Arabisch)',
  'demo.role.newcomerUk': 'Neu angekommen (spricht Ukrainisch)',
  'demo.role.kuemmerer': 'Möchte Kümmerin werden',
  'demo.role.mentor': 'Kümmerer der neu angekommenen Ukrainerin',
  'demo.role.mentorTr': 'Kümmerin mit freien Plätzen (spricht Türkisch)',
} as const satisfies Record<`demo.role.${DemoPersonKey}`, string>;

export const en: FeatureCatalogue<typeof de> = {
  'demo.role.admin': 'Platform administrator',
  'demo.role.organiser': 'Organiser (Stellwerk, sports club)',
  'demo.role.coordinator': 'Coordinator (Integration Office, Stellwerk)',
  'demo.role.librarian': 'Organiser (library)',
  'demo.role.resident': 'Resident and volunteer',
  'demo.role.newcomerAr': 'Newcomer (speaks Arabic)',
  'demo.role.newcomerUk': 'Newcomer (speaks Ukrainian)',
  'demo.role.kuemmerer': 'Wants to become a Kümmerer (mentor)',
  'demo.role.mentor': 'Kümmerer (mentor) of the Ukrainian newcomer',
  'demo.role.mentorTr': 'Kümmerer (mentor) with free places, speaks Turkish',
};

export const ar: FeatureCatalogue<typeof de> = {
  'demo.role.admin': 'إدارة المنصة',
  'demo.role.organiser': 'تنظيم الأنشطة (Stellwerk، النادي الرياضي)',
  'demo.role.coordinator': 'التنسيق (مكتب الاندماج، Stellwerk)',
  'demo.role.librarian': 'تنظيم الأنشطة (المكتبة)',
  'demo.role.resident': 'من سكان المدينة ومتطوع',
  'demo.role.newcomerAr': 'وافد جديد (يتحدث العربية)',
  'demo.role.newcomerUk': 'وافدة جديدة (تتحدث الأوكرانية)',
  'demo.role.kuemmerer': 'ترغب في أن تصبح مرافِقة (Kümmerer)',
  'demo.role.mentor': 'مرافِق (Kümmerer) للوافدة الأوكرانية الجديدة',
  'demo.role.mentorTr': 'مرافِقة (Kümmerer) لديها أماكن شاغرة، تتحدث التركية',
};

export const uk: FeatureCatalogue<typeof de> = {
  'demo.role.admin': 'Адміністрування платформи',
  'demo.role.organiser': 'Організаторка (Stellwerk, спортклуб)',
  'demo.role.coordinator': 'Координатор (Бюро інтеграції, Stellwerk)',
  'demo.role.librarian': 'Організаторка (бібліотека)',
  'demo.role.resident': 'Мешканець і волонтер',
  'demo.role.newcomerAr': 'Нещодавно прибулий (розмовляє арабською)',
  'demo.role.newcomerUk': 'Нещодавно прибула (розмовляє українською)',
  'demo.role.kuemmerer': 'Хоче стати наставницею (Kümmerer)',
  'demo.role.mentor': 'Наставник (Kümmerer) нещодавно прибулої українки',
  'demo.role.mentorTr': 'Наставниця (Kümmerer) з вільними місцями, розмовляє турецькою',
};

export const tr: FeatureCatalogue<typeof de> = {
  'demo.role.admin': 'Platform yönetimi',
  'demo.role.organiser': 'Etkinlik düzenleyici (Stellwerk, spor kulübü)',
  'demo.role.coordinator': 'Koordinatör (Entegrasyon Bürosu, Stellwerk)',
  'demo.role.librarian': 'Etkinlik düzenleyici (kütüphane)',
  'demo.role.resident': 'Şehir sakini ve gönüllü',
  'demo.role.newcomerAr': 'Yeni gelen (Arapça konuşuyor)',
  'demo.role.newcomerUk': 'Yeni gelen (Ukraynaca konuşuyor)',
  'demo.role.kuemmerer': 'Kümmerer (rehber) olmak istiyor',
  'demo.role.mentor': 'Ukraynalı yeni gelene eşlik eden Kümmerer (rehber)',
  'demo.role.mentorTr': 'Boş yeri olan Kümmerer (rehber), Türkçe konuşuyor',
};

export const fa: FeatureCatalogue<typeof de> = {
  'demo.role.admin': 'مدیریت سامانه',
  'demo.role.organiser': 'برگزارکننده (Stellwerk، باشگاه ورزشی)',
  'demo.role.coordinator': 'هماهنگ\u200cکننده (دفتر ادغام، Stellwerk)',
  'demo.role.librarian': 'برگزارکننده (کتابخانه)',
  'demo.role.resident': 'ساکن شهر و داوطلب',
  'demo.role.newcomerAr': 'تازه\u200cوارد (عربی صحبت می\u200cکند)',
  'demo.role.newcomerUk': 'تازه\u200cوارد (اوکراینی صحبت می\u200cکند)',
  'demo.role.kuemmerer': 'می\u200cخواهد همراه (Kümmerer) شود',
  'demo.role.mentor': 'همراه (Kümmerer) تازه\u200cوارد اوکراینی',
  'demo.role.mentorTr': 'همراه (Kümmerer) با جای خالی، ترکی صحبت می\u200cکند',
};
