// Messages of the plain error pages the server itself answers with (a request it cannot read,
// a method it does not take, a body too large, a fault of its own) and of input refused by the
// form building blocks, in every language. German defines the keys; FeatureCatalogue makes the
// other languages supply each of them.
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  'httpError.badRequest.title': 'Diese Anfrage können wir nicht lesen',
  'httpError.badRequest.body': 'Ihr Browser hat etwas geschickt, das das Portal nicht versteht. Bitte gehen Sie zurück und versuchen Sie es noch einmal.',
  'httpError.methodNotAllowed.title': 'Das geht an dieser Adresse nicht',
  'httpError.methodNotAllowed.body': 'Diese Adresse zeigt Seiten und nimmt Formulare an, sonst nichts.',
  'httpError.tooLarge.title': 'Das war zu viel auf einmal',
  'httpError.tooLarge.body': 'Das Formular ist zu groß, um es anzunehmen. Bitte kürzen Sie lange Texte und senden Sie es noch einmal.',
  'httpError.serverError.title': 'Da ist etwas schiefgegangen',
  'httpError.serverError.body': 'Das liegt am Portal, nicht an Ihnen. Bitte versuchen Sie es gleich noch einmal. Wenn Sie gerade ein Formular geschickt haben, sehen Sie nach, ob es angekommen ist.',
  'httpError.unavailable.title': 'Gleich wieder da',
  'error.notFound': 'Das gibt es hier nicht (mehr).',
  'error.choices.invalid': 'Bitte wählen Sie nur aus den angebotenen Möglichkeiten.',
} as const;

export const en: FeatureCatalogue<typeof de> = {
  'httpError.badRequest.title': 'We cannot read this request',
  'httpError.badRequest.body': 'Your browser sent something the portal does not understand. Please go back and try again.',
  'httpError.methodNotAllowed.title': 'That does not work at this address',
  'httpError.methodNotAllowed.body': 'This address shows pages and accepts forms, nothing else.',
  'httpError.tooLarge.title': 'That was too much at once',
  'httpError.tooLarge.body': 'The form is too large to accept. Please shorten long texts and send it again.',
  'httpError.serverError.title': 'Something went wrong',
  'httpError.serverError.body': 'The fault is with the portal, not with you. Please try again in a moment. If you had just sent a form, check whether it arrived.',
  'httpError.unavailable.title': 'Back in a moment',
  'error.notFound': 'That does not exist here (any more).',
  'error.choices.invalid': 'Please choose only from the options offered.',
};

export const ar: FeatureCatalogue<typeof de> = {
  'httpError.badRequest.title': 'لا يمكننا قراءة هذا الطلب',
  'httpError.badRequest.body': 'أرسل متصفحك شيئًا لا تفهمه البوابة. يُرجى الرجوع والمحاولة مرة أخرى.',
  'httpError.methodNotAllowed.title': 'هذا غير ممكن على هذا العنوان',
  'httpError.methodNotAllowed.body': 'هذا العنوان يعرض الصفحات ويستقبل النماذج فقط.',
  'httpError.tooLarge.title': 'هذا كثير دفعة واحدة',
  'httpError.tooLarge.body': 'النموذج أكبر من أن يُقبل. يُرجى تقصير النصوص الطويلة ثم إرساله مرة أخرى.',
  'httpError.serverError.title': 'حدث خطأ ما',
  'httpError.serverError.body': 'الخطأ من البوابة وليس منك. يُرجى المحاولة مرة أخرى بعد قليل. إذا كنت قد أرسلت نموذجًا للتو، فتحقّق مما إذا كان قد وصل.',
  'httpError.unavailable.title': 'سنعود بعد قليل',
  'error.notFound': 'هذا غير موجود هنا (بعد الآن).',
  'error.choices.invalid': 'يُرجى الاختيار من الخيارات المعروضة فقط.',
};

export const uk: FeatureCatalogue<typeof de> = {
  'httpError.badRequest.title': 'Ми не можемо прочитати цей запит',
  'httpError.badRequest.body': 'Ваш браузер надіслав те, чого портал не розуміє. Поверніться назад і спробуйте ще раз.',
  'httpError.methodNotAllowed.title': 'За цією адресою так не можна',
  'httpError.methodNotAllowed.body': 'Ця адреса показує сторінки й приймає форми, більше нічого.',
  'httpError.tooLarge.title': 'Забагато за один раз',
  'httpError.tooLarge.body': 'Форма завелика, щоб її прийняти. Скоротіть довгі тексти й надішліть її ще раз.',
  'httpError.serverError.title': 'Щось пішло не так',
  'httpError.serverError.body': 'Помилка на боці порталу, не у вас. Спробуйте ще раз за хвилину. Якщо ви щойно надіслали форму, перевірте, чи вона надійшла.',
  'httpError.unavailable.title': 'Незабаром повернемося',
  'error.notFound': 'Цього тут немає (більше).',
  'error.choices.invalid': 'Виберіть лише із запропонованих варіантів.',
};

export const tr: FeatureCatalogue<typeof de> = {
  'httpError.badRequest.title': 'Bu isteği okuyamıyoruz',
  'httpError.badRequest.body': 'Tarayıcınız portalın anlamadığı bir şey gönderdi. Lütfen geri dönüp tekrar deneyin.',
  'httpError.methodNotAllowed.title': 'Bu adreste bu yapılamaz',
  'httpError.methodNotAllowed.body': 'Bu adres yalnızca sayfa gösterir ve form kabul eder.',
  'httpError.tooLarge.title': 'Bir seferde çok fazla',
  'httpError.tooLarge.body': 'Form kabul edilemeyecek kadar büyük. Lütfen uzun metinleri kısaltıp tekrar gönderin.',
  'httpError.serverError.title': 'Bir şeyler ters gitti',
  'httpError.serverError.body': 'Hata sizde değil, portalda. Lütfen birazdan tekrar deneyin. Az önce bir form gönderdiyseniz ulaşıp ulaşmadığına bakın.',
  'httpError.unavailable.title': 'Birazdan geri döneceğiz',
  'error.notFound': 'Bu burada yok (artık).',
  'error.choices.invalid': 'Lütfen yalnızca sunulan seçeneklerden seçin.',
};

export const fa: FeatureCatalogue<typeof de> = {
  'httpError.badRequest.title': 'نمی‌توانیم این درخواست را بخوانیم',
  'httpError.badRequest.body': 'مرورگر شما چیزی فرستاد که درگاه آن را نمی‌فهمد. لطفاً برگردید و دوباره تلاش کنید.',
  'httpError.methodNotAllowed.title': 'این کار در این نشانی ممکن نیست',
  'httpError.methodNotAllowed.body': 'این نشانی فقط صفحه‌ها را نشان می‌دهد و فرم‌ها را می‌پذیرد.',
  'httpError.tooLarge.title': 'یک‌باره خیلی زیاد بود',
  'httpError.tooLarge.body': 'فرم بزرگ‌تر از آن است که پذیرفته شود. لطفاً متن‌های طولانی را کوتاه کنید و دوباره بفرستید.',
  'httpError.serverError.title': 'مشکلی پیش آمد',
  'httpError.serverError.body': 'اشکال از درگاه است، نه از شما. لطفاً کمی بعد دوباره تلاش کنید. اگر همین حالا فرمی فرستادید، بررسی کنید که رسیده باشد.',
  'httpError.unavailable.title': 'به‌زودی برمی‌گردیم',
  'error.notFound': 'این‌جا چنین چیزی وجود ندارد (دیگر).',
  'error.choices.invalid': 'لطفاً فقط از میان گزینه‌های پیشنهادی انتخاب کنید.',
};
