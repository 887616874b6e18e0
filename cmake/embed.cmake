# cmake -DIN=file -DOUT=file.cpp -DNAME=symbol -P embed.cmake: a text file as a C++ string_view.
file(READ ${IN} content)
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
    "namespace kiosk { extern const std::string_view ${NAME}; "
    "const std::string_view ${NAME} = R\"KIOSKEMBED(${content})KIOSKEMBED\"; }\n")
