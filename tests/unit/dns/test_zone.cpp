// The shared test zone: dnsmasq options for the records listed in the header.
#include "test_zone.hpp"

#include <memory>

namespace pillarbox::dns::test {

Dnsmasq& zone() {
  static std::unique_ptr<Dnsmasq> server = std::make_unique<Dnsmasq>(std::vector<std::string>{
      "--local=/pbx.test/",
      "--mx-host=multi.pbx.test,mx30.pbx.test,30",
      "--mx-host=multi.pbx.test,mx10.pbx.test,10",
      "--mx-host=multi.pbx.test,mx20.pbx.test,20",
      "--host-record=mx10.pbx.test,192.0.2.10,2001:db8::10",
      "--host-record=mx20.pbx.test,192.0.2.20",
      "--host-record=mx30.pbx.test,2001:db8::30",
      "--mx-host=ties.pbx.test,a.pbx.test,10",
      "--mx-host=ties.pbx.test,b.pbx.test,10",
      "--mx-host=ties.pbx.test,c.pbx.test,10",
      "--mx-host=ties.pbx.test,d.pbx.test,5",
      "--mx-host=ties.pbx.test,e.pbx.test,20",
      "--host-record=implicit.pbx.test,192.0.2.5,2001:db8::5",
      "--txt-record=nothing.pbx.test,no mail here",
      "--mx-host=nullmx.pbx.test,.,0",
      "--host-record=nullmx.pbx.test,192.0.2.66",
      "--mx-host=mixednull.pbx.test,.,0",
      "--mx-host=mixednull.pbx.test,mx20.pbx.test,10",
      "--mx-host=partial.pbx.test,gone.pbx.test,10",
      "--mx-host=partial.pbx.test,nothing.pbx.test,15",
      "--mx-host=partial.pbx.test,mx20.pbx.test,20",
      "--mx-host=allgone.pbx.test,gone1.pbx.test,10",
      "--mx-host=allgone.pbx.test,nothing.pbx.test,20",
      "--mx-host=refusedmx.pbx.test,mx.elsewhere.example,10",
      "--mx-host=refusedmx.pbx.test,mx2.elsewhere.example,20",
      "--mx-host=halfrefused.pbx.test,mx.elsewhere.example,10",
      "--mx-host=halfrefused.pbx.test,gone.pbx.test,20",
      "--cname=alias.pbx.test,mx10.pbx.test",
  });
  return *server;
}

Options zone_options() {
  Options o;
  o.servers = {zone().address()};
  o.timeout = std::chrono::milliseconds(1000);
  o.tries = 2;
  o.shuffle_equal_preference = false;
  return o;
}

Resolver make_resolver(event::Loop& loop, Options options) {
  auto r = Resolver::create(loop, std::move(options));
  INFO("Resolver::create: " << (r ? std::string("ok") : r.error().describe()));
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace pillarbox::dns::test
