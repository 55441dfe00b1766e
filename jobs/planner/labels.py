"""Field labels as scripts spell them, in the languages the product accepts (en, es, fr, de,
it, pt, vi): "Voice-over", "Locución", "Voix off", "Sprecher", "Lời dẫn" all mean narration."""

from __future__ import annotations

# Spellings per field; "|" separates them. Lower case; matching ignores case.
FIELD_LABELS: dict[str, str] = {
    "narration": (
        "narration|narrator|voiceover|voice-over|voice over|vo|v.o.|v.o|v/o|script|"
        "dialogue|audio|spoken|host|presenter|announcer|"
        # es, pt, it
        "locución|locucion|voz en off|voz en of|narración|narracion|narrador|voz|"
        "locução|narração|voce fuori campo|narrazione|voce|"
        # fr, de, vi
        "voix off|voix-off|voix|narrateur|commentaire|"
        "sprecher|sprechertext|erzähler|erzählerin|off-sprecher|off-text|"
        "lời dẫn|lời thoại|thuyết minh|lời bình"
    ),
    "visuals": (
        "visual|visuals|b-roll|b roll|broll|shot|shots|image|images|imagery|footage|"
        "video|camera|action|scene description|description|graphic|graphics|animation|"
        "picture|setting|style|look|frame|frames|"
        "imagen|imágenes|imagenes|toma|descripción|plano visual|vídeo|"
        "visuel|visuels|plan large|gros plan|"
        "bild|bilder|bildbeschreibung|kamera|"
        "hình ảnh|cảnh quay|cú máy"
    ),
    "on_screen": (
        "on-screen text|onscreen text|on screen text|on_screen_text|on-screen|onscreen|"
        "on screen|text on screen|text overlay|text|overlay|title card|title|caption|"
        "captions|super|supers|lower third|headline|card|end card|copy|"
        "texto en pantalla|en pantalla|rótulo|rotulo|sobreimpresión|texto|"
        "texte à l'écran|texte a l'ecran|texte à l’écran|à l'écran|à l’écran|texte|"
        "incrustation|carton|"
        "einblendung|texteinblendung|bildschirmtext|text im bild|"
        "chữ trên màn hình|dòng chữ"
    ),
    "music": (
        "music cue|music|soundtrack|score|track|song|mood|música|musica|musique|musik|nhạc|nhạc nền"
    ),
    "effects": (
        "sound effects|sound effect|sfx|fx|sound|effects|effect|transitions|transition|"
        "efecto|efectos|efecto de sonido|effet|effets|bruitage|"
        "effekt|effekte|geräusch|geräusche|hiệu ứng|âm thanh"
    ),
    "chart": "chart|graph|data viz|data|stats|statistics|infographic",
    "time": (
        "duration|length|timing|timecode|time|timestamp|"
        "duración|duracion|tiempo|durée|duree|temps|minutage|dauer|zeit|länge|"
        "thời gian|thời lượng"
    ),
    "purpose": "purpose|goal|objective|beat|role",
}

# Table columns that number or name the row's scene or shot rather than describe it.
TITLE_COLUMNS = frozenset(
    [
        "#",
        "no",
        "no.",
        "nr",
        "nr.",
        "n°",
        "n.º",
        "scene",
        "shot",
        "beat",
        "section",
        "segment",
        "plan",
        "plano",
        "escena",
        "scène",
        "szene",
        "einstellung",
        "cảnh",
        "cena",
        "scena",
    ]
)
