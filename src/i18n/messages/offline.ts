// Messages for the portal as an installable web app that works offline (src/offline/): the
// page shown for a page this device has not kept, the page shown for a form sent without a
// connection, and the notice on a kept page read offline ("saved on …"). German defines the
// keys; FeatureCatalogue makes every other language supply each of them.
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  'offline.title': "Sie sind offline",
  'offline.body': "Gerade gibt es keine Verbindung zum Internet, und diese Seite ist auf diesem Gerät nicht gespeichert.",
  'offline.tryAgain': "Noch einmal versuchen",
  'offline.keptTitle': "Ohne Internet lesen",
  'offline.keptIntro': "Wenn Sie angemeldet sind, speichert dieses Gerät Ihre eigenen Seiten jedes Mal, wenn Sie sie mit Internet öffnen – dazu die Angebote, zu denen Sie sich angemeldet haben. Diese Seiten können Sie auch offline lesen:",
  'offline.keptPrivacy': "Die gespeicherten Seiten bleiben nur auf diesem Gerät. Wenn Sie sich abmelden, werden sie gelöscht.",
  'offline.notSent.title': "Nicht gesendet – Sie sind offline",
  'offline.notSent.body': "Ihre Angaben wurden nicht gespeichert. Versuchen Sie es noch einmal, wenn Sie wieder online sind.",
  'offline.notSent.nothingLater': "Nichts wird später von selbst abgeschickt: Es bleibt alles so, wie es vor dem Absenden war.",
  'offline.notSent.back': "Zurück zur Seite",
  'offline.savedAt': "Offline – gespeichert am {time}",
  'offline.savedAtBody': "Sie sehen die Fassung, die auf diesem Gerät gespeichert ist. Was sich seitdem geändert hat, sehen Sie, sobald Sie wieder Internet haben.",
  'offline.reload': "Neu laden",
  'offline.app.description': "Angebote, Begleitung und Mitmachen in {town} – auch unterwegs ohne Internet.",
} as const;

export const en: FeatureCatalogue<typeof de> = {
  'offline.title': "You are offline",
  'offline.body': "There is no internet connection right now, and this page is not saved on this device.",
  'offline.tryAgain': "Try again",
  'offline.keptTitle': "Read without internet",
  'offline.keptIntro': "When you are signed in, this device keeps your own pages each time you open them online, together with the activities you signed up for. You can read these pages offline too:",
  'offline.keptPrivacy': "The kept pages stay on this device only. When you sign out, they are deleted.",
  'offline.notSent.title': "Not sent – you are offline",
  'offline.notSent.body': "Your answer was not saved. Try again when you are online.",
  'offline.notSent.nothingLater': "Nothing will be sent later on its own: everything stays as it was before you sent the form.",
  'offline.notSent.back': "Back to the page",
  'offline.savedAt': "Offline – saved on {time}",
  'offline.savedAtBody': "You are looking at the copy kept on this device. Anything that has changed since then shows once you are online again.",
  'offline.reload': "Reload",
  'offline.app.description': "Activities, mentoring and getting involved in {town} – also on the go without internet.",
};

export const ar: FeatureCatalogue<typeof de> = {
  'offline.title': "أنت غير متصل بالإنترنت",
  'offline.body': "لا يوجد اتصال بالإنترنت الآن، وهذه الصفحة غير محفوظة على هذا الجهاز.",
  'offline.tryAgain': "حاول مرة أخرى",
  'offline.keptTitle': "القراءة دون إنترنت",
  'offline.keptIntro': "عندما تكون مسجّلًا الدخول، يحفظ هذا الجهاز صفحاتك الخاصة في كل مرة تفتحها فيها وأنت متصل بالإنترنت، ومعها الأنشطة التي سجّلت فيها. يمكنك قراءة هذه الصفحات دون اتصال أيضًا:",
  'offline.keptPrivacy': "تبقى الصفحات المحفوظة على هذا الجهاز فقط. وعندما تسجّل الخروج تُحذف.",
  'offline.notSent.title': "لم يُرسَل – أنت غير متصل بالإنترنت",
  'offline.notSent.body': "لم يتم حفظ إجابتك. حاول مرة أخرى عندما تكون متصلًا بالإنترنت.",
  'offline.notSent.nothingLater': "لن يُرسَل أي شيء لاحقًا من تلقاء نفسه: يبقى كل شيء كما كان قبل إرسال النموذج.",
  'offline.notSent.back': "العودة إلى الصفحة",
  'offline.savedAt': "دون اتصال – محفوظة في {time}",
  'offline.savedAtBody': "أنت ترى النسخة المحفوظة على هذا الجهاز. ستظهر التغييرات التي حدثت منذ ذلك الحين عندما تتصل بالإنترنت من جديد.",
  'offline.reload': "إعادة التحميل",
  'offline.app.description': "أنشطة ومرافقة ومشاركة في {town} – حتى أثناء التنقل دون إنترنت.",
};

export const uk: FeatureCatalogue<typeof de> = {
  'offline.title': "Ви офлайн",
  'offline.body': "Зараз немає з’єднання з інтернетом, а ця сторінка не збережена на цьому пристрої.",
  'offline.tryAgain': "Спробувати ще раз",
  'offline.keptTitle': "Читати без інтернету",
  'offline.keptIntro': "Коли ви увійшли, цей пристрій зберігає ваші власні сторінки щоразу, коли ви відкриваєте їх з інтернетом, разом із заходами, на які ви записалися. Ці сторінки можна читати й офлайн:",
  'offline.keptPrivacy': "Збережені сторінки залишаються лише на цьому пристрої. Коли ви виходите, вони видаляються.",
  'offline.notSent.title': "Не надіслано – ви офлайн",
  'offline.notSent.body': "Вашу відповідь не збережено. Спробуйте ще раз, коли будете онлайн.",
  'offline.notSent.nothingLater': "Пізніше нічого не надішлеться само собою: усе залишається так, як було до надсилання форми.",
  'offline.notSent.back': "Назад до сторінки",
  'offline.savedAt': "Офлайн – збережено {time}",
  'offline.savedAtBody': "Ви бачите копію, збережену на цьому пристрої. Те, що змінилося відтоді, з’явиться, щойно ви знову будете онлайн.",
  'offline.reload': "Оновити",
  'offline.app.description': "Заходи, супровід і участь у місті {town} – навіть у дорозі без інтернету.",
};

export const tr: FeatureCatalogue<typeof de> = {
  'offline.title': "Çevrimdışısınız",
  'offline.body': "Şu anda internet bağlantısı yok ve bu sayfa bu cihazda kayıtlı değil.",
  'offline.tryAgain': "Tekrar dene",
  'offline.keptTitle': "İnternetsiz okuyun",
  'offline.keptIntro': "Giriş yaptığınızda bu cihaz, kendi sayfalarınızı internetle her açtığınızda kaydolduğunuz etkinliklerle birlikte saklar. Bu sayfaları çevrimdışı da okuyabilirsiniz:",
  'offline.keptPrivacy': "Saklanan sayfalar yalnızca bu cihazda kalır. Çıkış yaptığınızda silinir.",
  'offline.notSent.title': "Gönderilmedi – çevrimdışısınız",
  'offline.notSent.body': "Cevabınız kaydedilmedi. Yeniden çevrimiçi olduğunuzda tekrar deneyin.",
  'offline.notSent.nothingLater': "Daha sonra kendiliğinden hiçbir şey gönderilmeyecek: her şey formu göndermeden önceki gibi kalır.",
  'offline.notSent.back': "Sayfaya geri dön",
  'offline.savedAt': "Çevrimdışı – {time} tarihinde kaydedildi",
  'offline.savedAtBody': "Bu cihazda saklanan kopyayı görüyorsunuz. O zamandan beri değişenler, yeniden çevrimiçi olduğunuzda görünür.",
  'offline.reload': "Yeniden yükle",
  'offline.app.description': "{town} şehrinde etkinlikler, rehberlik ve katılım – yolda internet olmadan da.",
};

export const fa: FeatureCatalogue<typeof de> = {
  'offline.title': "شما آفلاین هستید",
  'offline.body': "الان اتصال اینترنت ندارید و این صفحه روی این دستگاه ذخیره نشده است.",
  'offline.tryAgain': "دوباره امتحان کنید",
  'offline.keptTitle': "خواندن بدون اینترنت",
  'offline.keptIntro': "وقتی وارد حساب خود شده‌اید، این دستگاه صفحه‌های شخصی شما را هر بار که آن‌ها را با اینترنت باز می‌کنید، همراه با فعالیت‌هایی که در آن‌ها ثبت‌نام کرده‌اید، نگه می‌دارد. این صفحه‌ها را بدون اینترنت هم می‌توانید بخوانید:",
  'offline.keptPrivacy': "صفحه‌های نگه‌داشته‌شده فقط روی همین دستگاه می‌مانند. وقتی از حساب خود خارج شوید، پاک می‌شوند.",
  'offline.notSent.title': "ارسال نشد – شما آفلاین هستید",
  'offline.notSent.body': "پاسخ شما ذخیره نشد. وقتی دوباره آنلاین شدید، دوباره امتحان کنید.",
  'offline.notSent.nothingLater': "چیزی بعداً خودبه‌خود فرستاده نمی‌شود: همه‌چیز همان‌طور می‌ماند که پیش از فرستادن فرم بود.",
  'offline.notSent.back': "بازگشت به صفحه",
  'offline.savedAt': "آفلاین – ذخیره‌شده در {time}",
  'offline.savedAtBody': "شما نسخهٔ ذخیره‌شده روی این دستگاه را می‌بینید. تغییراتی که از آن زمان پیش آمده، وقتی دوباره آنلاین شوید نمایش داده می‌شود.",
  'offline.reload': "بارگذاری دوباره",
  'offline.app.description': "فعالیت‌ها، همراهی و مشارکت در {town} – حتی در راه و بدون اینترنت.",
};
