// The intents' names: what a screen reports a person asked for (Intent::action), declared once so
// that a misspelt name is a compile error. A flow's page buttons carry them (page::button,
// PageRow::action); the scenario runner and the screens' tap ids use the same words
// ("pick/restaurant" = intent "pick" with arg "restaurant").
#pragma once

namespace kiosk::intents {

// [SECTION] The shell: the chrome, the warning, the attract, home and ID-card screens.
inline constexpr char back[] = "back";
inline constexpr char home[] = "home";
inline constexpr char finish[] = "finish";
inline constexpr char lang[] = "lang";
inline constexpr char elder[] = "elder";
inline constexpr char voice[] = "voice";
inline constexpr char extend[] = "extend";  // "still here" (the warning; also page scrolling)
inline constexpr char staff[] = "staff";    // call staff
inline constexpr char staff_cancel[] = "staff_cancel";
inline constexpr char corner[] = "corner";  // the hidden service-menu target
inline constexpr char tile[] = "tile";      // arg: the catalog entry's id

// [SECTION] Shared by several flows.
inline constexpr char key[] = "key";  // keypad: arg "0".."9" | "del" | "ok"
inline constexpr char retry[] = "retry";
inline constexpr char done[] = "done";
inline constexpr char again[] = "again";
inline constexpr char by[] = "by";  // arg: how to identify (card, code, ...)
inline constexpr char open[] = "open";
inline constexpr char other[] = "other";
inline constexpr char pick[] = "pick";
inline constexpr char print[] = "print";
inline constexpr char reprint[] = "reprint";
inline constexpr char submit[] = "submit";

// [SECTION] flows/ticket.cpp
namespace ticket {
inline constexpr char sms[] = "sms";
}  // namespace ticket

// [SECTION] flows/evaluation.cpp
namespace evaluation {
inline constexpr char complaint[] = "complaint";
inline constexpr char level[] = "level";
inline constexpr char reason[] = "reason";
}  // namespace evaluation

// [SECTION] flows/evaluation.cpp (the complaint form)
namespace complaint {
inline constexpr char problem[] = "problem";
}  // namespace complaint

// [SECTION] flows/payment.cpp
namespace payment {
inline constexpr char leave_anyway[] = "leave_anyway";
inline constexpr char pay[] = "pay";
inline constexpr char stay[] = "stay";
}  // namespace payment

// [SECTION] flows/pickup.cpp
namespace pickup {
inline constexpr char skip[] = "skip";
inline constexpr char start[] = "start";
}  // namespace pickup

// [SECTION] flows/proof.cpp
namespace proof {
inline constexpr char another[] = "another";
inline constexpr char app[] = "app";
inline constexpr char kind[] = "kind";
inline constexpr char later[] = "later";
}  // namespace proof

// [SECTION] flows/guides.cpp
namespace guides {
inline constexpr char answer[] = "answer";
inline constexpr char dept[] = "dept";
inline constexpr char letter[] = "letter";
inline constexpr char mode[] = "mode";
inline constexpr char rate[] = "rate";
inline constexpr char section[] = "section";
inline constexpr char situations[] = "situations";
inline constexpr char take[] = "take";
inline constexpr char ticket[] = "ticket";
}  // namespace guides

// [SECTION] flows/convenience.cpp
namespace convenience {
inline constexpr char page[] = "page";
inline constexpr char svc[] = "svc";
}  // namespace convenience

// [SECTION] flows/service.cpp
namespace service {
inline constexpr char abandon[] = "abandon";
inline constexpr char boards[] = "boards";
inline constexpr char compartment[] = "compartment";
inline constexpr char deposit[] = "deposit";
inline constexpr char devices[] = "devices";
inline constexpr char exit[] = "exit";
inline constexpr char info[] = "info";
inline constexpr char lockers[] = "lockers";
inline constexpr char mark[] = "mark";
inline constexpr char method[] = "method";
inline constexpr char open_all[] = "open_all";
inline constexpr char open_all_confirm[] = "open_all_confirm";
inline constexpr char overdue[] = "overdue";
inline constexpr char pause[] = "pause";
inline constexpr char refresh[] = "refresh";
inline constexpr char relogin[] = "relogin";
inline constexpr char report[] = "report";
inline constexpr char reset[] = "reset";
inline constexpr char restart[] = "restart";
inline constexpr char retrieve[] = "retrieve";
inline constexpr char retry_size[] = "retry_size";
inline constexpr char scan[] = "scan";
inline constexpr char size[] = "size";
inline constexpr char test[] = "test";
inline constexpr char wait[] = "wait";
}  // namespace service

}  // namespace kiosk::intents
