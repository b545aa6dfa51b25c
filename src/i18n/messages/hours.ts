// Messages shared by every part of volunteer hours: the names of where hours came from, the
// navigation, the privacy export's section.
// German defines the keys; FeatureCatalogue makes every other language supply each of them.
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  'hours.nav': "Meine Stunden",
  'hours.source.shift': "Einsatz",
  'hours.source.meeting': "Kümmerer-Treffen",
  'hours.source.help': "Nachbarschaftshilfe",
  'hours.source.manual': "Eingetragen von der Organisation",
  'hours.what.meeting': "Begleitung als Kümmerer",
  'hours.what.help': "Nachbarschaftshilfe: {kind}",
  'hours.what.helpAny': "Nachbarschaftshilfe",
  'hours.status.pending': "Noch nicht bestätigt",
  'hours.status.confirmed': "Bestätigt",
  'hours.townScheme': "Kümmerer und Nachbarschaftshilfe der Stadt",
  'privacyData.section.volunteer_hours': "Ehrenamtliche Stunden",
  'privacyData.about.volunteer_hours': "Ihre Stunden: wann, wie lange, was und für welche Organisation, und ob die Organisation sie bestätigt hat.",
};

export const en: FeatureCatalogue<typeof de> = {
  'hours.nav': "My hours",
  'hours.source.shift': "Shift",
  'hours.source.meeting': "Kümmerer meeting",
  'hours.source.help': "Neighbourly help",
  'hours.source.manual': "Entered by the organisation",
  'hours.what.meeting': "Mentoring as a Kümmerer",
  'hours.what.help': "Neighbourly help: {kind}",
  'hours.what.helpAny': "Neighbourly help",
  'hours.status.pending': "Not confirmed yet",
  'hours.status.confirmed': "Confirmed",
  'hours.townScheme': "The town’s Kümmerer and neighbourly help",
  'privacyData.section.volunteer_hours': "Volunteer hours",
  'privacyData.about.volunteer_hours': "Your hours: when, how long, what and for which organisation, and whether the organisation confirmed them.",
};

export const ar: FeatureCatalogue<typeof de> = {
  'hours.nav': "ساعاتي",
  'hours.source.shift': "مناوبة",
  'hours.source.meeting': "لقاء مع الكومرر",
  'hours.source.help': "مساعدة الجيران",
  'hours.source.manual': "أدخلتها المنظمة",
  'hours.what.meeting': "المرافقة بصفة كومرر",
  'hours.what.help': "مساعدة الجيران: {kind}",
  'hours.what.helpAny': "مساعدة الجيران",
  'hours.status.pending': "لم تُؤكَّد بعد",
  'hours.status.confirmed': "مؤكَّدة",
  'hours.townScheme': "برنامج الكومرر ومساعدة الجيران في المدينة",
  'privacyData.section.volunteer_hours': "ساعات التطوّع",
  'privacyData.about.volunteer_hours': "ساعاتك: متى، وكم من الوقت، وماذا، ولأيّ منظمة، وهل أكّدتها المنظمة.",
};

export const uk: FeatureCatalogue<typeof de> = {
  'hours.nav': "Мої години",
  'hours.source.shift': "Зміна",
  'hours.source.meeting': "Зустріч Kümmerer",
  'hours.source.help': "Сусідська допомога",
  'hours.source.manual': "Внесено організацією",
  'hours.what.meeting': "Супровід як Kümmerer",
  'hours.what.help': "Сусідська допомога: {kind}",
  'hours.what.helpAny': "Сусідська допомога",
  'hours.status.pending': "Ще не підтверджено",
  'hours.status.confirmed': "Підтверджено",
  'hours.townScheme': "Kümmerer і сусідська допомога міста",
  'privacyData.section.volunteer_hours': "Години волонтерства",
  'privacyData.about.volunteer_hours': "Ваші години: коли, скільки, що і для якої організації, і чи організація їх підтвердила.",
};

export const tr: FeatureCatalogue<typeof de> = {
  'hours.nav': "Saatlerim",
  'hours.source.shift': "Görev",
  'hours.source.meeting': "Kümmerer buluşması",
  'hours.source.help': "Komşu yardımı",
  'hours.source.manual': "Kuruluş tarafından girildi",
  'hours.what.meeting': "Kümmerer olarak refakat",
  'hours.what.help': "Komşu yardımı: {kind}",
  'hours.what.helpAny': "Komşu yardımı",
  'hours.status.pending': "Henüz onaylanmadı",
  'hours.status.confirmed': "Onaylandı",
  'hours.townScheme': "Şehrin Kümmerer ve komşu yardımı programı",
  'privacyData.section.volunteer_hours': "Gönüllülük saatleri",
  'privacyData.about.volunteer_hours': "Saatleriniz: ne zaman, ne kadar, ne ve hangi kuruluş için; kuruluşun onaylayıp onaylamadığı.",
};

export const fa: FeatureCatalogue<typeof de> = {
  'hours.nav': "ساعت‌های من",
  'hours.source.shift': "نوبت کاری",
  'hours.source.meeting': "دیدار کومرر",
  'hours.source.help': "کمک همسایگی",
  'hours.source.manual': "ثبت‌شده توسط سازمان",
  'hours.what.meeting': "همراهی به‌عنوان کومرر",
  'hours.what.help': "کمک همسایگی: {kind}",
  'hours.what.helpAny': "کمک همسایگی",
  'hours.status.pending': "هنوز تأیید نشده",
  'hours.status.confirmed': "تأییدشده",
  'hours.townScheme': "برنامهٔ کومرر و کمک همسایگی شهر",
  'privacyData.section.volunteer_hours': "ساعت‌های داوطلبی",
  'privacyData.about.volunteer_hours': "ساعت‌های شما: کی، چه مدت، چه کاری و برای کدام سازمان، و اینکه سازمان آن‌ها را تأیید کرده یا نه.",
};
