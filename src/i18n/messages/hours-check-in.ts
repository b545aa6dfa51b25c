// Messages for checking volunteers in at a shift (the roles page and the door).
// German defines the keys; FeatureCatalogue makes every other language supply each of them.
// The buttons reuse the door's words (attendees.checkIn, attendees.undo and their labels).
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  'hoursCheckIn.helpers': "Helfende",
  'hoursCheckIn.noneSignedUp': "Noch niemand eingetragen.",
  'hoursCheckIn.wasThere': "War da",
  'hoursCheckIn.opensAt': "Einchecken ab {time}",
  'hoursCheckIn.hint': "Wer eingecheckt ist, bekommt die Stunden der Schicht gutgeschrieben (noch nicht bestätigt).",
  'hoursCheckIn.checkedIn': "{name} ist eingecheckt.",
  'hoursCheckIn.undone': "Der Check-in von {name} ist zurückgenommen.",
  'hoursCheckIn.error.tooEarly': "Einchecken geht erst ab einer Stunde vor Beginn der Schicht.",
  'hoursCheckIn.error.withdrawn': "Diese Person hat sich von der Schicht abgemeldet.",
  'hoursCheckIn.error.cancelled': "Das Angebot ist abgesagt: Niemand kann eingecheckt werden.",
};

export const en: FeatureCatalogue<typeof de> = {
  'hoursCheckIn.helpers': "Helpers",
  'hoursCheckIn.noneSignedUp': "Nobody has signed up yet.",
  'hoursCheckIn.wasThere': "Was there",
  'hoursCheckIn.opensAt': "Check-in from {time}",
  'hoursCheckIn.hint': "Helpers who are checked in get the shift's hours (not confirmed yet).",
  'hoursCheckIn.checkedIn': "{name} is checked in.",
  'hoursCheckIn.undone': "{name}'s check-in has been undone.",
  'hoursCheckIn.error.tooEarly': "Check-in opens one hour before the shift starts.",
  'hoursCheckIn.error.withdrawn': "This person has withdrawn from the shift.",
  'hoursCheckIn.error.cancelled': "The activity is cancelled: nobody can be checked in.",
};

export const ar: FeatureCatalogue<typeof de> = {
  'hoursCheckIn.helpers': "المتطوعون",
  'hoursCheckIn.noneSignedUp': "لم يسجّل أحد بعد.",
  'hoursCheckIn.wasThere': "كان حاضرًا",
  'hoursCheckIn.opensAt': "تسجيل الحضور ابتداءً من {time}",
  'hoursCheckIn.hint': "من يُسجَّل حضوره تُحتسب له ساعات المناوبة (لم تُؤكَّد بعد).",
  'hoursCheckIn.checkedIn': "تم تسجيل حضور {name}.",
  'hoursCheckIn.undone': "تم إلغاء تسجيل حضور {name}.",
  'hoursCheckIn.error.tooEarly': "يمكن تسجيل الحضور ابتداءً من ساعة واحدة قبل بدء المناوبة.",
  'hoursCheckIn.error.withdrawn': "انسحب هذا الشخص من المناوبة.",
  'hoursCheckIn.error.cancelled': "النشاط ملغى: لا يمكن تسجيل حضور أحد.",
};

export const uk: FeatureCatalogue<typeof de> = {
  'hoursCheckIn.helpers': "Волонтери",
  'hoursCheckIn.noneSignedUp': "Ще ніхто не записався.",
  'hoursCheckIn.wasThere': "Був(ла) на місці",
  'hoursCheckIn.opensAt': "Відмітка з {time}",
  'hoursCheckIn.hint': "Відміченим волонтерам зараховуються години зміни (ще не підтверджені).",
  'hoursCheckIn.checkedIn': "{name} відмічено.",
  'hoursCheckIn.undone': "Відмітку {name} скасовано.",
  'hoursCheckIn.error.tooEarly': "Відмітити можна не раніше ніж за годину до початку зміни.",
  'hoursCheckIn.error.withdrawn': "Ця людина відмовилася від зміни.",
  'hoursCheckIn.error.cancelled': "Захід скасовано: нікого не можна відмітити.",
};

export const tr: FeatureCatalogue<typeof de> = {
  'hoursCheckIn.helpers': "Gönüllüler",
  'hoursCheckIn.noneSignedUp': "Henüz kimse kaydolmadı.",
  'hoursCheckIn.wasThere': "Oradaydı",
  'hoursCheckIn.opensAt': "Giriş onayı {time} itibarıyla",
  'hoursCheckIn.hint': "Girişi onaylanan gönüllülere vardiyanın saatleri yazılır (henüz onaylanmamış).",
  'hoursCheckIn.checkedIn': "{name} için giriş onaylandı.",
  'hoursCheckIn.undone': "{name} için giriş onayı geri alındı.",
  'hoursCheckIn.error.tooEarly': "Giriş onayı vardiya başlamadan en erken bir saat önce yapılabilir.",
  'hoursCheckIn.error.withdrawn': "Bu kişi vardiyadan çekildi.",
  'hoursCheckIn.error.cancelled': "Etkinlik iptal edildi: kimsenin girişi onaylanamaz.",
};

export const fa: FeatureCatalogue<typeof de> = {
  'hoursCheckIn.helpers': "داوطلبان",
  'hoursCheckIn.noneSignedUp': "هنوز کسی ثبت‌نام نکرده است.",
  'hoursCheckIn.wasThere': "حاضر بود",
  'hoursCheckIn.opensAt': "ثبت حضور از {time}",
  'hoursCheckIn.hint': "برای داوطلبانی که حضورشان ثبت شده، ساعت‌های نوبت حساب می‌شود (هنوز تأیید نشده).",
  'hoursCheckIn.checkedIn': "حضور {name} ثبت شد.",
  'hoursCheckIn.undone': "ثبت حضور {name} لغو شد.",
  'hoursCheckIn.error.tooEarly': "ثبت حضور از یک ساعت پیش از شروع نوبت ممکن است.",
  'hoursCheckIn.error.withdrawn': "این شخص از نوبت انصراف داده است.",
  'hoursCheckIn.error.cancelled': "برنامه لغو شده است: حضور هیچ‌کس را نمی‌توان ثبت کرد.",
};
