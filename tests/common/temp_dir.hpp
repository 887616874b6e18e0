// A fresh directory under the system's temporary directory for one test, removed with everything
// in it when the test ends (state directories, journals, outboxes, printed output).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <stdlib.h>

namespace kiosk::test {

struct TempDir {
    std::string path;
    explicit TempDir(std::string_view prefix = "kiosk") {
        std::string t =
            (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(std::string_view name) const { return path + "/" + std::string(name); }
};

}  // namespace kiosk::test
