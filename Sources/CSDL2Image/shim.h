#ifndef CSDL2Image_SHIM_H
#define CSDL2Image_SHIM_H
#include <SDL2/SDL_image.h>
#endif
