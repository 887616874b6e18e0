# Every dependency is a Debian 12 package (tools/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(doctest REQUIRED)
find_package(ZXing REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
find_package(SQLiteCpp REQUIRED)  # libsqlitecpp-dev: base/include/base/sqlite.hpp
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)  # the hall simulator's proof PDFs
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)  # sd_notify (kiosk/app/sdnotify.cpp)

if(KIOSK_BUILD_UI)
    pkg_check_modules(SDL2 REQUIRED IMPORTED_TARGET sdl2)
    pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
    # Debian's libimgui.a carries imgui_impl_sdl.o but not the SDL_Renderer backend; Debian ships
    # that backend's source, which we compile in place (never copied into this repository).
    set(IMGUI_BACKEND_DIR /usr/share/doc/libimgui-dev/examples/backends)
    if(NOT EXISTS ${IMGUI_BACKEND_DIR}/imgui_impl_sdlrenderer.cpp)
        message(FATAL_ERROR "libimgui-dev's imgui_impl_sdlrenderer.cpp not found in ${IMGUI_BACKEND_DIR}")
    endif()
    add_library(imgui_sdl STATIC ${IMGUI_BACKEND_DIR}/imgui_impl_sdlrenderer.cpp)
    target_include_directories(imgui_sdl SYSTEM PUBLIC /usr/include/imgui /usr/include/imgui/backends)
    target_compile_options(imgui_sdl PRIVATE -w)
    target_link_libraries(imgui_sdl PUBLIC PkgConfig::IMGUI PkgConfig::SDL2 PkgConfig::FREETYPE)
endif()
