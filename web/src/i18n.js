// Interface strings in English, Persian and Arabic. Vessel names, MMSIs
// and other transmitted values are never translated.

const strings = {
  en: {
    search: "Search name, MMSI, IMO, call sign", filters: "Filters", type: "Type", flag: "Flag",
    speed: "Speed (kn)", zone: "Zone", dark: "Dark", all: "All", darkOnly: "Dark only", heardOnly: "Heard recently",
    events: "Events", mute: "Mute", unmute: "Sound", theme: "Theme", share: "Copy link", measure: "Range & bearing",
    history: "History", live: "Live", window: "Window", vessels: "vessels", close: "Close", trail: "Trail",
    name: "Name", mmsi: "MMSI", imo: "IMO", callSign: "Call sign", shipType: "Type", size: "Size",
    destination: "Destination", eta: "ETA", draught: "Draught", navStatus: "Nav status", lastSeen: "Last seen",
    heardBy: "Heard by", position: "Position", sog: "Speed", cog: "Course", heading: "Heading",
    connecting: "Connecting…", connected: "Live", reconnecting: "Stream lost — reconnecting…", noEvents: "No events",
    eventsUnavailable: "Events not available from this server", ack: "Acknowledge", comment: "Comment",
    acked: "Acknowledged", range: "Range", bearing: "Bearing", clickTwo: "Click two points on the map",
    copied: "Link copied", unknown: "Unknown", none: "—", min: "min", max: "max", evidence: "Evidence",
    confidence: "Confidence", started: "Started", ended: "Ended", open: "open", noResults: "No match",
    cargo: "Cargo", tanker: "Tanker", passenger: "Passenger", fishing: "Fishing", tug: "Tug / towing",
    hsc: "High speed", pleasure: "Pleasure / sailing", government: "Military / law enf.", sar: "SAR",
    other: "Other", aton: "Aid to navigation", language: "Language",
    t_gap: "AIS gap", t_encounter: "Encounter", t_loitering: "Loitering", t_zone: "Zone", t_speed: "Speed",
    t_distress: "Distress", t_identity: "Identity", t_port_visit: "Port visit", t_tss: "TSS violation",
    t_collision_risk: "Collision risk", s_distress: "Distress", s_alarm: "Alarm", s_info: "Info",
  },
  fa: {
    search: "جستجوی نام، MMSI، IMO، علامت تماس", filters: "پالایه‌ها", type: "نوع", flag: "پرچم",
    speed: "سرعت (گره)", zone: "منطقه", dark: "خاموش", all: "همه", darkOnly: "فقط خاموش", heardOnly: "شنیده‌شده اخیر",
    events: "رویدادها", mute: "بی‌صدا", unmute: "صدا", theme: "پوسته", share: "رونوشت پیوند", measure: "فاصله و سمت",
    history: "تاریخچه", live: "زنده", window: "بازه", vessels: "شناور", close: "بستن", trail: "رد حرکت",
    name: "نام", mmsi: "MMSI", imo: "IMO", callSign: "علامت تماس", shipType: "نوع", size: "ابعاد",
    destination: "مقصد", eta: "زمان رسیدن", draught: "آبخور", navStatus: "وضعیت ناوبری", lastSeen: "آخرین دریافت",
    heardBy: "دریافت‌شده از", position: "موقعیت", sog: "سرعت", cog: "مسیر", heading: "سمت سینه",
    connecting: "در حال اتصال…", connected: "زنده", reconnecting: "جریان قطع شد — اتصال دوباره…", noEvents: "رویدادی نیست",
    eventsUnavailable: "رویدادها از این سرور در دسترس نیست", ack: "تأیید", comment: "توضیح",
    acked: "تأییدشده", range: "فاصله", bearing: "سمت", clickTwo: "دو نقطه روی نقشه بزنید",
    copied: "پیوند رونوشت شد", unknown: "نامعلوم", none: "—", min: "کمینه", max: "بیشینه", evidence: "شواهد",
    confidence: "اطمینان", started: "آغاز", ended: "پایان", open: "باز", noResults: "یافت نشد",
    cargo: "باری", tanker: "نفتکش", passenger: "مسافری", fishing: "صیادی", tug: "یدک‌کش",
    hsc: "تندرو", pleasure: "تفریحی / بادبانی", government: "نظامی / انتظامی", sar: "جستجو و نجات",
    other: "دیگر", aton: "کمک‌ناوبری", language: "زبان",
    t_gap: "قطع AIS", t_encounter: "ملاقات", t_loitering: "پرسه‌زنی", t_zone: "منطقه", t_speed: "سرعت",
    t_distress: "اضطرار", t_identity: "هویت", t_port_visit: "ورود به بندر", t_tss: "تخلف طرح جداسازی",
    t_collision_risk: "خطر برخورد", s_distress: "اضطرار", s_alarm: "هشدار", s_info: "اطلاع",
  },
  ar: {
    search: "ابحث بالاسم أو MMSI أو IMO أو رمز النداء", filters: "عوامل التصفية", type: "النوع", flag: "العلم",
    speed: "السرعة (عقدة)", zone: "المنطقة", dark: "مطفأ", all: "الكل", darkOnly: "المطفأة فقط", heardOnly: "المسموعة حديثاً",
    events: "الأحداث", mute: "كتم", unmute: "صوت", theme: "السمة", share: "نسخ الرابط", measure: "المدى والاتجاه",
    history: "السجل", live: "مباشر", window: "الفترة", vessels: "سفينة", close: "إغلاق", trail: "المسار",
    name: "الاسم", mmsi: "MMSI", imo: "IMO", callSign: "رمز النداء", shipType: "النوع", size: "الأبعاد",
    destination: "الوجهة", eta: "موعد الوصول", draught: "الغاطس", navStatus: "حالة الملاحة", lastSeen: "آخر استقبال",
    heardBy: "استقبلها", position: "الموقع", sog: "السرعة", cog: "المسار", heading: "اتجاه المقدمة",
    connecting: "جارٍ الاتصال…", connected: "مباشر", reconnecting: "انقطع البث — إعادة الاتصال…", noEvents: "لا أحداث",
    eventsUnavailable: "الأحداث غير متاحة من هذا الخادم", ack: "إقرار", comment: "تعليق",
    acked: "تم الإقرار", range: "المدى", bearing: "الاتجاه", clickTwo: "انقر نقطتين على الخريطة",
    copied: "تم نسخ الرابط", unknown: "غير معروف", none: "—", min: "أدنى", max: "أقصى", evidence: "الأدلة",
    confidence: "الثقة", started: "البداية", ended: "النهاية", open: "مفتوح", noResults: "لا نتائج",
    cargo: "بضائع", tanker: "ناقلة", passenger: "ركاب", fishing: "صيد", tug: "قاطرة",
    hsc: "عالية السرعة", pleasure: "نزهة / شراعية", government: "عسكرية / أمنية", sar: "بحث وإنقاذ",
    other: "أخرى", aton: "مساعدة ملاحية", language: "اللغة",
    t_gap: "انقطاع AIS", t_encounter: "التقاء", t_loitering: "تسكع", t_zone: "منطقة", t_speed: "سرعة",
    t_distress: "استغاثة", t_identity: "هوية", t_port_visit: "زيارة ميناء", t_tss: "مخالفة نظام الفصل",
    t_collision_risk: "خطر تصادم", s_distress: "استغاثة", s_alarm: "إنذار", s_info: "معلومة",
  },
};

const navStatus = {
  en: ["Under way using engine", "At anchor", "Not under command", "Restricted manoeuvrability", "Constrained by draught",
    "Moored", "Aground", "Engaged in fishing", "Under way sailing", "", "", "Towing astern", "Pushing ahead", "", "AIS-SART / MOB / EPIRB", "Not defined"],
  fa: ["در حرکت با موتور", "لنگر انداخته", "خارج از فرمان", "محدودیت مانور", "محدود به آبخور",
    "پهلوگرفته", "به گل نشسته", "در حال صید", "در حرکت با بادبان", "", "", "یدک‌کشی از عقب", "هل‌دادن از جلو", "", "AIS-SART / MOB / EPIRB", "تعریف‌نشده"],
  ar: ["مبحرة بالمحرك", "راسية", "خارجة عن السيطرة", "قدرة مناورة محدودة", "مقيدة بالغاطس",
    "مربوطة", "جانحة", "تصطاد", "مبحرة بالشراع", "", "", "تقطر من الخلف", "تدفع من الأمام", "", "AIS-SART / MOB / EPIRB", "غير محدد"],
};

export const languages = ["en", "fa", "ar"];
let lang = "en";

// setLanguage switches the interface language and layout direction.
export function setLanguage(l) {
  lang = languages.includes(l) ? l : "en";
  const root = document.documentElement;
  root.lang = lang;
  root.dir = lang === "en" ? "ltr" : "rtl";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  return lang;
}

export function language() { return lang; }

// t returns the string for key in the current language, else English,
// else the key.
export function t(key) { return strings[lang][key] ?? strings.en[key] ?? key; }

export function navStatusName(n) {
  return (n != null && navStatus[lang][n]) || (n != null && navStatus.en[n]) || t("unknown");
}
