#ifndef CSDL2_SHIM_H
#define CSDL2_SHIM_H
#include <SDL2/SDL.h>

/* Function-like macros and variadic functions Swift cannot call, wrapped. Nothing else. */

/** SDL_WINDOWPOS_CENTERED (a macro built from SDL_WINDOWPOS_CENTERED_MASK). */
static inline int KioskSDL_WindowPosCentered(void) { return SDL_WINDOWPOS_CENTERED; }

/** SDL_BUTTON(x): the state mask bit of mouse button x. */
static inline Uint32 KioskSDL_ButtonMask(int button) { return SDL_BUTTON(button); }

/** SDL_TOUCH_MOUSEID: `which` of mouse events SDL synthesised from touches. */
static inline Uint32 KioskSDL_TouchMouseID(void) { return SDL_TOUCH_MOUSEID; }

/** SDL_MUSTLOCK(surface). */
static inline int KioskSDL_MustLock(SDL_Surface *surface) { return SDL_MUSTLOCK(surface) ? 1 : 0; }

/** SDL_Log("%s", message): the variadic SDL_Log with a fixed format. */
static inline void KioskSDL_Log(const char *message) { SDL_Log("%s", message); }

/** SDL_SetError("%s", message). */
static inline int KioskSDL_SetError(const char *message) { return SDL_SetError("%s", message); }

#endif
