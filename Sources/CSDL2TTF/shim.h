#ifndef CSDL2TTF_SHIM_H
#define CSDL2TTF_SHIM_H
#include <SDL2/SDL_ttf.h>

/** TTF_SetFontScriptName where this SDL2_ttf has it (2.20+, HarfBuzz); -1 otherwise. */
static inline int KioskTTF_SetFontScriptName(TTF_Font *font, const char *script) {
#if SDL_TTF_VERSION_ATLEAST(2, 20, 0)
    return TTF_SetFontScriptName(font, script);
#else
    (void)font; (void)script;
    return -1;
#endif
}

#endif
