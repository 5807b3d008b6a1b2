package ais

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Deliberate differences from gpsd 3.22's output. gpsd prints something
// wrong in each case and the message struct does not hold what it printed,
// so AppendJSON prints the correct value. The categories TestAppendJSONGpsd
// counts are in quotes.
//
//   - "type 26 radio": gpsd never decodes the type 26 radio field and
//     prints what its union held (0 in practice); we print the field.
//   - "field cut by the message end": when a message ends inside a type
//     7/13 destination or a type 20 reservation, gpsd reads the whole field
//     anyway, taking the fill bits of the last sentence and zeros after the
//     end; the decoder keeps whole fields (and up to 6 spare bits of type
//     20), so the rest prints as 0.
//   - "data padding": likewise gpsd leaves those fill bits in the padding of
//     the last "data" byte of types 6, 17 and 25; we print zeros there
//     (type 26's padding holds the radio bits that follow, as in gpsd).
//   - Type 24 "vendorid": gpsd reads 7 characters, which we rebuild from
//     VendorID, Model and Serial, except when VendorID is shorter than 3
//     characters: whether it stopped at an '@' (gpsd stops too) or lost
//     trailing spaces (gpsd reads on) is not kept; we print VendorID.
//   - "device" is escaped like the other strings; gpsd prints it raw.
//
// "application not decoded here" counts type 6/8 payloads that gpsd
// decodes and this package leaves raw. Objects only one side prints are
// messages the other rejects: sentences over 82 characters (we), type 26
// shorter than its header and type 27 other than 96 or 168 bits (gpsd).

// gpsdCase is a sentence group with gpsdecode 3.22's output for it (-j and
// -u -j), device "stdin".
var gpsdCases = []struct {
	name, nmea, js, ju string
}{
	{
		name: `type 1 short radio`,
		nmea: `!AIVDM,1,1,,A,13aIkM@P00PJ@qPNL=e@0?wJ28JO,5*63`,
		js:   `{"class":"AIS","device":"stdin","type":1,"repeat":0,"mmsi":244740981,"scaled":true,"status":0,"status_text":"Under way using engine","turn":"nan","speed":0.0,"accuracy":true,"lon":5.737467,"lat":53.199235,"course":0.0,"heading":511,"second":45,"maneuver":0,"raim":true,"radio":1076}`,
		ju:   `{"class":"AIS","device":"stdin","type":1,"repeat":0,"mmsi":244740981,"scaled":false,"status":0,"status_text":"Under way using engine","turn":-128,"speed":0,"accuracy":true,"lon":3442480,"lat":31919541,"course":0,"heading":511,"second":45,"maneuver":0,"raim":true,"radio":1076}`,
	},
	{
		name: `type 3 negative turn`,
		nmea: `!AIVDM,1,1,,B,3815GGAv001aNMrEd:U1M:mf0E0J,0*30`,
		js:   `{"class":"AIS","device":"stdin","type":3,"repeat":0,"mmsi":538007389,"scaled":true,"status":1,"status_text":"At anchor","turn":3,"speed":0.0,"accuracy":false,"lon":23.041595,"lat":37.906167,"course":37.2,"heading":346,"second":55,"maneuver":0,"raim":false,"radio":86042}`,
		ju:   `{"class":"AIS","device":"stdin","type":3,"repeat":0,"mmsi":538007389,"scaled":false,"status":1,"status_text":"At anchor","turn":-8,"speed":0,"accuracy":false,"lon":13824957,"lat":22743700,"course":372,"heading":346,"second":55,"maneuver":0,"raim":false,"radio":86042}`,
	},
	{
		name: `type 4 invalid epfd`,
		nmea: "!AIVDM,1,1,,B,4>O7m7Iu@<9qUfbtm`vSnwvH20S8,0*46",
		js:   `{"class":"AIS","device":"stdin","type":4,"repeat":0,"mmsi":972158237,"scaled":true,"timestamp":"10196-00-24T09:57:37Z","accuracy":true,"lon":205.116887,"lat":109.332052,"epfd":14,"epfd_text":"INVALID EPFD","raim":true,"radio":2248}`,
		ju:   `{"class":"AIS","device":"stdin","type":4,"repeat":0,"mmsi":972158237,"scaled":false,"timestamp":"10196-00-24T09:57:37Z","accuracy":true,"lon":123070132,"lat":65599231,"epfd":14,"epfd_text":"INVALID EPFD","raim":true,"radio":2248}`,
	},
	{
		name: `type 5`,
		nmea: "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\n!AIVDM,2,2,1,A,88888888880,2*25",
		js:   `{"class":"AIS","device":"stdin","type":5,"repeat":0,"mmsi":351759000,"scaled":true,"imo":9134270,"ais_version":0,"callsign":"3FOF8","shipname":"EVER DIADEM","shiptype":70,"shiptype_text":"Cargo - all ships of this type","to_bow":225,"to_stern":70,"to_port":1,"to_starboard":31,"epfd":1,"epfd_text":"GPS","eta":"05-15T14:00Z","draught":12.2,"destination":"NEW YORK","dte":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":5,"repeat":0,"mmsi":351759000,"scaled":false,"imo":9134270,"ais_version":0,"callsign":"3FOF8","shipname":"EVER DIADEM","shiptype":70,"shiptype_text":"Cargo - all ships of this type","to_bow":225,"to_stern":70,"to_port":1,"to_starboard":31,"epfd":1,"epfd_text":"GPS","eta":"05-15T14:00Z","draught":122,"destination":"NEW YORK","dte":0}`,
	},
	{
		name: `type 6 raw`,
		nmea: `!AIVDM,1,1,,B,6B?n;be:cbapalgc;i6?Ow4,2*4A`,
		js:   `{"class":"AIS","device":"stdin","type":6,"repeat":1,"mmsi":150834090,"scaled":true,"seqno":3,"dest_mmsi":313240222,"retransmit":false,"dac":669,"fid":11,"data":"48:eb2f118f7ff1"}`,
		ju:   `{"class":"AIS","device":"stdin","type":6,"repeat":1,"mmsi":150834090,"scaled":false,"seqno":3,"dest_mmsi":313240222,"retransmit":false,"dac":669,"fid":11,"data":"48:eb2f118f7ff1"}`,
	},
	{
		name: `type 7`,
		nmea: "!AIVDM,1,1,,A,702R5`hwCjq8,0*6B",
		js:   `{"class":"AIS","device":"stdin","type":7,"repeat":0,"mmsi":2655651,"scaled":true,"mmsi1":265538450,"mmsi2":0,"mmsi3":0,"mmsi4":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":7,"repeat":0,"mmsi":2655651,"scaled":false,"mmsi1":265538450,"mmsi2":0,"mmsi3":0,"mmsi4":0}`,
	},
	{
		name: `type 8 raw`,
		nmea: "!AIVDM,1,1,,A,85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs,0*47",
		js:   `{"class":"AIS","device":"stdin","type":8,"repeat":0,"mmsi":366999712,"scaled":true,"dac":366,"fid":56,"data":"256:3a53dbb7be4a773137f87d7b0445f040dea05d93f593783194ae9b9d9dbe05fb"}`,
		ju:   `{"class":"AIS","device":"stdin","type":8,"repeat":0,"mmsi":366999712,"scaled":false,"dac":366,"fid":56,"data":"256:3a53dbb7be4a773137f87d7b0445f040dea05d93f593783194ae9b9d9dbe05fb"}`,
	},
	{
		name: `type 9`,
		nmea: `!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69`,
		js:   `{"class":"AIS","device":"stdin","type":9,"repeat":0,"mmsi":111265591,"scaled":true,"alt":15,"speed":0,"accuracy":false,"lon":11.881600,"lat":57.778455,"course":0.0,"second":28,"regional":0,"dte":0,"raim":false,"radio":49194}`,
		ju:   `{"class":"AIS","device":"stdin","type":9,"repeat":0,"mmsi":111265591,"scaled":false,"alt":15,"speed":0,"accuracy":false,"lon":7128960,"lat":34667073,"course":0,"second":28,"regional":0,"dte":0,"raim":false,"radio":49194}`,
	},
	{
		name: `type 10`,
		nmea: `!AIVDM,1,1,,B,:5MlU41GMK6@,0*6C`,
		js:   `{"class":"AIS","device":"stdin","type":10,"repeat":0,"mmsi":366814480,"scaled":true,"dest_mmsi":366832740}`,
		ju:   `{"class":"AIS","device":"stdin","type":10,"repeat":0,"mmsi":366814480,"scaled":false,"dest_mmsi":366832740}`,
	},
	{
		name: `type 11`,
		nmea: "!AIVDM,1,1,,B,;4R33:1uUK2F`q?mOt@@GoQ00000,0*5D",
		js:   `{"class":"AIS","device":"stdin","type":11,"repeat":0,"mmsi":304137000,"scaled":true,"timestamp":"2009-05-22T02:22:40Z","accuracy":true,"lon":-94.407683,"lat":28.409117,"epfd":1,"epfd_text":"GPS","raim":false,"radio":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":11,"repeat":0,"mmsi":304137000,"scaled":false,"timestamp":"2009-05-22T02:22:40Z","accuracy":true,"lon":-56644610,"lat":17045470,"epfd":1,"epfd_text":"GPS","raim":false,"radio":0}`,
	},
	{
		name: `type 12`,
		nmea: `!AIVDM,1,1,,A,<02:oP0kKcv0@<51C5PB5@?BDPD?P:?2?EB7PDB16693P381>>5<PikP,0*37`,
		js:   `{"class":"AIS","device":"stdin","type":12,"repeat":0,"mmsi":2275200,"scaled":true,"seqno":0,"dest_mmsi":215724000,"retransmit":false,"text":"PLEASE REPORT TO JOBOURG TRAFFIC CHANNEL 13"}`,
		ju:   `{"class":"AIS","device":"stdin","type":12,"repeat":0,"mmsi":2275200,"scaled":false,"seqno":0,"dest_mmsi":215724000,"retransmit":false,"text":"PLEASE REPORT TO JOBOURG TRAFFIC CHANNEL 13"}`,
	},
	{
		name: `type 14 escapes`,
		nmea: `!AIVDM,1,1,,B,>EUM3U7sOhg29OAkrdvJPUl,2*0B`,
		js:   `{"class":"AIS","device":"stdin","type":14,"repeat":1,"mmsi":374817684,"scaled":true,"text":">7<K0\"W4\\>+O&(I]"}`,
		ju:   `{"class":"AIS","device":"stdin","type":14,"repeat":1,"mmsi":374817684,"scaled":false,"text":">7<K0\"W4\\>+O&(I]"}`,
	},
	{
		name: `type 15`,
		nmea: `!AIVDM,1,1,,A,?5OP=l00052HD00,2*5B`,
		js:   `{"class":"AIS","device":"stdin","type":15,"repeat":0,"mmsi":368578000,"scaled":true,"mmsi1":5158,"type1_1":5,"offset1_1":0,"type1_2":0,"offset1_2":0,"mmsi2":0,"type2_1":0,"offset2_1":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":15,"repeat":0,"mmsi":368578000,"scaled":false,"mmsi1":5158,"type1_1":5,"offset1_1":0,"type1_2":0,"offset1_2":0,"mmsi2":0,"type2_1":0,"offset2_1":0}`,
	},
	{
		name: `type 16`,
		nmea: `!AIVDM,1,1,,A,@01uEO@mMk7P<P00,0*18`,
		js:   `{"class":"AIS","device":"stdin","type":16,"repeat":0,"mmsi":2053501,"scaled":true,"mmsi1":224251000,"offset1":200,"increment1":0,"mmsi2":0,"offset2":0,"increment2":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":16,"repeat":0,"mmsi":2053501,"scaled":false,"mmsi1":224251000,"offset1":200,"increment1":0,"mmsi2":0,"offset2":0,"increment2":0}`,
	},
	{
		name: `type 17`,
		nmea: "!AIVDM,2,1,5,A,A02VqLPA4I6C07h5Ed1h<OrsuBTTwS?r:C?w`?la<gno1RTRwSP9:BcurA8a,0*3A\n!AIVDM,2,2,5,A,:Oko02TSwu8<:Jbb,0*11",
		js:   `{"class":"AIS","device":"stdin","type":17,"repeat":0,"mmsi":2734450,"scaled":true,"lon":29.1,"lat":60.0,"data":"376:7c0556c07031febbf52924fe33fa2933ffa0fd2932fdb7062922fe3809292afde9122929fcf7002923ffd20c29aaaa"}`,
		ju:   `{"class":"AIS","device":"stdin","type":17,"repeat":0,"mmsi":2734450,"scaled":false,"lon":17478,"lat":35992,"data":"376:7c0556c07031febbf52924fe33fa2933ffa0fd2932fdb7062922fe3809292afde9122929fcf7002923ffd20c29aaaa"}`,
	},
	{
		name: `type 18`,
		nmea: `!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C`,
		js:   `{"class":"AIS","device":"stdin","type":18,"repeat":0,"mmsi":338087471,"scaled":true,"reserved":0,"speed":0.1,"accuracy":false,"lon":-74.072132,"lat":40.684540,"course":79.6,"heading":511,"second":49,"regional":0,"cs":true,"display":false,"dsc":true,"band":true,"msg22":true,"raim":true,"radio":917510}`,
		ju:   `{"class":"AIS","device":"stdin","type":18,"repeat":0,"mmsi":338087471,"scaled":false,"reserved":0,"speed":1,"accuracy":false,"lon":-44443279,"lat":24410724,"course":796,"heading":511,"second":49,"regional":0,"cs":true,"display":false,"dsc":true,"band":true,"msg22":true,"raim":true,"radio":917510}`,
	},
	{
		name: `type 19`,
		nmea: `!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B`,
		js:   `{"class":"AIS","device":"stdin","type":19,"repeat":0,"mmsi":367059850,"scaled":true,"reserved":248,"speed":8.7,"accuracy":false,"lon":-88.810392,"lat":29.543695,"course":335.9,"heading":511,"second":46,"regional":4,"shipname":"CAPT.J.RIMES","shiptype":70,"shiptype_text":"Cargo - all ships of this type","to_bow":5,"to_stern":21,"to_port":4,"to_starboard":4,"epfd":1,"epfd_text":"GPS","raim":false,"dte":0,"assigned":false}`,
		ju:   `{"class":"AIS","device":"stdin","type":19,"repeat":0,"mmsi":367059850,"scaled":false,"reserved":248,"speed":87,"accuracy":false,"lon":-53286235,"lat":17726217,"course":3359,"heading":511,"second":46,"regional":4,"shipname":"CAPT.J.RIMES","shiptype":70,"shiptype_text":"Cargo - all ships of this type","to_bow":5,"to_stern":21,"to_port":4,"to_starboard":4,"epfd":1,"epfd_text":"GPS","raim":false,"dte":0,"assigned":false}`,
	},
	{
		name: `type 20`,
		nmea: `!AIVDM,1,1,,2,D02E34iFTg6D000000000000002gjG2,0*75`,
		js:   `{"class":"AIS","device":"stdin","type":20,"repeat":0,"mmsi":2442003,"scaled":true,"offset1":1385,"number1":2,"timeout1":7,"increment1":1125,"offset2":0,"number2":0,"timeout2":0,"increment2":0,"offset3":0,"number3":0,"timeout3":0,"increment3":0,"offset4":0,"number4":0,"timeout4":0,"increment4":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":20,"repeat":0,"mmsi":2442003,"scaled":false,"offset1":1385,"number1":2,"timeout1":7,"increment1":1125,"offset2":0,"number2":0,"timeout2":0,"increment2":0,"offset3":0,"number3":0,"timeout3":0,"increment3":0,"offset4":0,"number4":0,"timeout4":0,"increment4":0}`,
	},
	{
		name: `type 21 name extension`,
		nmea: "!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46\n!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36",
		js:   `{"class":"AIS","device":"stdin","type":21,"repeat":0,"mmsi":123456789,"scaled":true,"aid_type":20,"aid_type_text":"Cardinal Mark N","name":"CHINA ROSE MURPHY EXPRESS ALERT","lon":-122.698592,"lat":47.920618,"accuracy":false,"to_bow":5,"to_stern":5,"to_port":5,"to_starboard":5,"epfd":1,"epfd_text":"GPS","second":50,"regional":165,"off_position":false,"raim":false,"virtual_aid":false}`,
		ju:   `{"class":"AIS","device":"stdin","type":21,"repeat":0,"mmsi":123456789,"scaled":false,"aid_type":20,"aid_type_text":"Cardinal Mark N","name":"CHINA ROSE MURPHY EXPRESS ALERT","accuracy":false,"lon":-73619155,"lat":28752371,"to_bow":5,"to_stern":5,"to_port":5,"to_starboard":5,"epfd":1,"epfd_text":"GPS","second":50,"regional":165,"off_position":false,"raim":false,"virtual_aid":false}`,
	},
	{
		name: `type 22 addressed`,
		nmea: `!AIVDM,1,1,,A,F@@W>gOP00PH=JrN9l000?wB2HH;,0*44`,
		js:   `{"class":"AIS","device":"stdin","type":22,"repeat":1,"mmsi":17419965,"scaled":true,"channel_a":3584,"channel_b":8,"txrx":1,"power":true,"dest1":28144881,"dest2":268435519,"addressed":true,"band_a":false,"band_b":false,"zonesize":4}`,
		ju:   `{"class":"AIS","device":"stdin","type":22,"repeat":1,"mmsi":17419965,"scaled":false,"channel_a":3584,"channel_b":8,"txrx":1,"power":true,"dest1":28144881,"dest2":268435519,"addressed":true,"band_a":false,"band_b":false,"zonesize":4}`,
	},
	{
		name: `type 22 area`,
		nmea: `!AIVDM,1,1,,A,F030ot22N2P6aoQbhe4736L20000,0*1A`,
		js:   `{"class":"AIS","device":"stdin","type":22,"repeat":0,"mmsi":3160048,"scaled":true,"channel_a":2087,"channel_b":2088,"txrx":0,"power":false,"ne_lon":"-73.500000","ne_lat":"45.550000","sw_lon":"-80.166667","sw_lat":"42.333333","addressed":false,"band_a":false,"band_b":false,"zonesize":4}`,
		ju:   `{"class":"AIS","device":"stdin","type":22,"repeat":0,"mmsi":3160048,"scaled":false,"channel_a":2087,"channel_b":2088,"txrx":0,"power":false,"ne_lon":-44100,"ne_lat":27330,"sw_lon":-48100,"sw_lat":25400,"addressed":false,"band_a":false,"band_b":false,"zonesize":4}`,
	},
	{
		name: `type 23`,
		nmea: "!AIVDM,1,1,,B,G02:Kn01R`sn@291nj600000900,2*12",
		js:   `{"class":"AIS","device":"stdin","type":23,"repeat":0,"mmsi":2268120,"scaled":true,"ne_lon":"2.630000","ne_lat":"51.070000","sw_lon":"1.826667","sw_lat":"50.680000","stationtype":6,"stationtype_text":"Regional use and inland waterways","shiptype":0,"shiptype_text":"Not available","interval":9,"quiet":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":23,"repeat":0,"mmsi":2268120,"scaled":false,"ne_lon":1578,"ne_lat":30642,"sw_lon":1096,"sw_lat":30408,"stationtype":6,"stationtype_text":"Regional use and inland waterways","shiptype":0,"shiptype_text":"Not available","interval":9,"quiet":0}`,
	},
	{
		name: `type 24 auxiliary`,
		nmea: "!AIVDM,1,1,,B,H>cSnNP@4eEL544000000000000,0*3E\n!AIVDM,1,1,,B,H>cSnNTU7B=40058qpmjhh000004,0*31",
		js:   `{"class":"AIS","device":"stdin","type":24,"repeat":0,"mmsi":985200250,"scaled":true,"shipname":"DAKUWAQA","shiptype":37,"shiptype_text":"Pleasure Craft","vendorid":"GRMD","model":1,"serial":5,"callsign":"H985200","mothership_mmsi":0}`,
		ju:   `{"class":"AIS","device":"stdin","type":24,"repeat":0,"mmsi":985200250,"scaled":false,"shipname":"DAKUWAQA","shiptype":37,"shiptype_text":"Pleasure Craft","vendorid":"GRMD","model":1,"serial":5,"callsign":"H985200","mothership_mmsi":0}`,
	},
	{
		name: `type 25 addressed`,
		nmea: `!AIVDM,1,1,,A,I6SWo?8P00a3PKpEKEVj0?vNP<65,0*73`,
		js:   `{"class":"AIS","device":"stdin","type":25,"repeat":0,"mmsi":440006460,"scaled":true,"addressed":true,"structured":false,"dest_mmsi":134218384,"app_id":0,"data":"98:e06f855b566c803fe7a0306140"}`,
		ju:   `{"class":"AIS","device":"stdin","type":25,"repeat":0,"mmsi":440006460,"scaled":false,"addressed":true,"structured":false,"dest_mmsi":134218384,"app_id":0,"data":"98:e06f855b566c803fe7a0306140"}`,
	},
	{
		// gpsd 3.22 prints "radio":0: it never decodes the field.
		name: `type 26 broadcast`,
		nmea: `!AIVDM,1,1,,B,JaL0mr5P000DtRDMddr@0?vF06iD,0*75`,
		js:   `{"class":"AIS","device":"stdin","type":26,"repeat":2,"mmsi":633353704,"scaled":true,"addressed":false,"structured":true,"dest_mmsi":0,"app_id":24576,"data":"92:0014f2251db2ce9000ff9600","radio":27732}`,
		ju:   `{"class":"AIS","device":"stdin","type":26,"repeat":2,"mmsi":633353704,"scaled":false,"addressed":false,"structured":true,"dest_mmsi":0,"app_id":24576,"data":"92:0014f2251db2ce9000ff9600","radio":27732}`,
	},
	{
		name: `type 27`,
		nmea: `!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41`,
		js:   `{"class":"AIS","device":"stdin","type":27,"repeat":1,"mmsi":236091959,"scaled":true,"status":"Restricted manoeuverability","accuracy":false,"lon":-154.2,"lat":87.1,"speed":0,"course":0,"raim":false,"gnss":false}`,
		ju:   `{"class":"AIS","device":"stdin","type":27,"repeat":1,"mmsi":236091959,"scaled":false,"status":3,"accuracy":false,"lon":-92521,"lat":52239,"speed":0,"course":0,"raim":false,"gnss":false}`,
	},
}

// jsonMsg is one object as gpsdecode would print it.
type jsonMsg struct {
	typ, mmsi uint32
	nmea      string // the sentences of the message
	js, ju    string // AppendJSON, scaled and unscaled
	msg       Message
}

// decodeForJSON reads NMEA lines as gpsdecode does and returns what it
// would print: every message but type 24, and type 24 part B when it
// matches a part A stashed on the same channel (gpsd keeps the last 8 part
// As per channel and forgets one once matched), merged.
func decodeForJSON(data []byte, device string) []jsonMsg {
	lines := strings.Split(string(data), "\n")
	r := NewReader(bytes.NewReader(data), ReaderConfig{})
	type stash struct {
		mmsi uint32
		name string
	}
	var queue [2][8]stash
	var next [2]int
	var out []jsonMsg
	for r.Scan() {
		m := r.Message()
		h := m.Head()
		o := JSONOptions{Device: device}
		if v, ok := m.(*StaticDataReport); ok {
			ch := 0
			if c := r.Channel(); c == 'B' || c == '2' {
				ch = 1
			}
			q := &queue[ch]
			switch {
			case v.Part == 0 && (h.Len == 0 || h.Len >= 160 && h.Len <= 168):
				q[next[ch]] = stash{h.MMSI, v.ShipName}
				next[ch] = (next[ch] + 1) % len(q)
				continue
			case v.Part == 1 && (h.Len == 0 || h.Len >= 168):
				i := slices.IndexFunc(q[:], func(s stash) bool { return s.mmsi == h.MMSI })
				if i < 0 {
					continue
				}
				q[i].mmsi = 0
				c := *v
				c.ShipName = q[i].name
				m = &c
				o.Merged24 = true
			default:
				continue
			}
		}
		n := int(r.Stats().Lines)
		first := max(0, n-r.sent.Total)
		jm := jsonMsg{typ: uint32(h.Type), mmsi: h.MMSI, nmea: strings.Join(lines[first:n], "\n"), msg: Clone(m)}
		o.Scaled = true
		jm.js = string(AppendJSON(nil, m, o))
		o.Scaled = false
		jm.ju = string(AppendJSON(nil, m, o))
		out = append(out, jm)
	}
	return out
}

func TestAppendJSONCases(t *testing.T) {
	for _, tc := range gpsdCases {
		t.Run(tc.name, func(t *testing.T) {
			got := decodeForJSON([]byte(tc.nmea+"\n"), "stdin")
			if len(got) != 1 {
				t.Fatalf("%q: %d messages, want 1", tc.nmea, len(got))
			}
			if got[0].js != tc.js+"\n" {
				t.Errorf("AppendJSON(%q) = %s, want %s", tc.nmea, got[0].js, tc.js)
			}
			if got[0].ju != tc.ju+"\n" {
				t.Errorf("AppendJSON(%q) unscaled = %s, want %s", tc.nmea, got[0].ju, tc.ju)
			}
		})
	}
}

// readLines returns the lines of a file, gunzipped when its name ends in
// .gz, without their terminators.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	var out []string
	sc := bufio.NewScanner(rd)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// objKey returns the type and MMSI of a gpsd JSON line.
func objKey(line string) (typ, mmsi uint32) {
	num := func(k string) uint32 {
		i := strings.Index(line, k)
		if i < 0 {
			return 0
		}
		s := line[i+len(k):]
		j := strings.IndexAny(s, ",}")
		if j < 0 {
			return 0
		}
		v, _ := strconv.ParseUint(s[:j], 10, 32)
		return uint32(v)
	}
	return num(`"type":`), num(`"mmsi":`)
}

// align pairs up two key sequences along a longest common subsequence
// (Myers' O(ND) difference algorithm). It returns index pairs in order; -1
// marks an element without a partner.
func align(a, b [][2]uint32) [][2]int {
	n, m := len(a), len(b)
	max := n + m
	off := max + 1
	v := make([]int, 2*max+3)
	var trace [][]int
	var d int
search:
	for d = 0; d <= max; d++ {
		trace = append(trace, slices.Clone(v))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				break search
			}
		}
	}
	// Walk back from (n, m) through the saved frontiers.
	var out [][2]int
	x, y := n, m
	for ; d > 0; d-- {
		vd := trace[d]
		k := x - y
		var pk int
		if k == -d || k != d && vd[off+k-1] < vd[off+k+1] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := vd[off+pk]
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			out = append(out, [2]int{x, y})
		}
		if x == px {
			y--
			out = append(out, [2]int{-1, y})
		} else {
			x--
			out = append(out, [2]int{x, -1})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		out = append(out, [2]int{x, y})
	}
	slices.Reverse(out)
	return out
}

// category names a known reason for a difference from gpsd, or "" when
// there is none.
func category(m *jsonMsg, got, want string) string {
	gm, wm := map[string]any{}, map[string]any{}
	if json.Unmarshal([]byte(got), &gm) != nil || json.Unmarshal([]byte(want), &wm) != nil {
		return ""
	}
	_, gData := gm["data"]
	_, wData := wm["data"]
	switch {
	case (m.typ == 6 || m.typ == 8) && gData && !wData:
		return "application not decoded here"
	}
	diff := diffKeys(gm, wm)
	// gpsd reads the field that the message end cuts, filling it with
	// the fill bits and zeros; the decoder keeps only whole fields.
	switch v := m.msg.(type) {
	case *BinaryAck:
		if v.Count < 4 && slices.Equal(diff, []string{fmt.Sprintf("mmsi%d", v.Count+1)}) {
			return "field cut by the message end"
		}
	case *DataLinkManagement:
		if v.Count < 4 && len(diff) > 0 && !slices.ContainsFunc(diff, func(k string) bool {
			return !strings.HasSuffix(k, strconv.Itoa(v.Count+1))
		}) {
			return "field cut by the message end"
		}
	}
	if m.typ == 26 && slices.Equal(diff, []string{"radio"}) {
		return "type 26 radio"
	}
	if slices.Equal(diff, []string{"data"}) || m.typ == 26 && slices.Equal(diff, []string{"data", "radio"}) {
		if paddingOnly(gm["data"].(string), wm["data"].(string)) {
			return "data padding"
		}
	}
	return ""
}

// diffKeys lists the members whose values differ or that one side lacks.
func diffKeys(a, b map[string]any) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok || fmt.Sprint(v) != fmt.Sprint(w) {
			d = append(d, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, k)
		}
	}
	sort.Strings(d)
	return d
}

// paddingOnly reports whether two "<bits>:<hex>" values differ only in
// the bits past the count.
func paddingOnly(a, b string) bool {
	na, ha, _ := strings.Cut(a, ":")
	nb, hb, _ := strings.Cut(b, ":")
	n, err := strconv.Atoi(na)
	if err != nil || na != nb || len(ha) != len(hb) || len(ha) == 0 || n%8 == 0 {
		return false
	}
	if ha[:len(ha)-2] != hb[:len(hb)-2] {
		return false
	}
	x, _ := strconv.ParseUint(ha[len(ha)-2:], 16, 8)
	y, _ := strconv.ParseUint(hb[len(hb)-2:], 16, 8)
	mask := uint64(0xFF) << uint(8-n%8) & 0xFF
	return x&mask == y&mask
}

// TestAppendJSONGpsd compares AppendJSON with gpsdecode 3.22's output,
// object by object, after aligning the two sequences by type and MMSI
// (the decoders do not accept quite the same messages). Differences of a
// known category are counted; any other fails.
func TestAppendJSONGpsd(t *testing.T) {
	tests := []struct {
		name, input, want string
		scaled            bool
	}{
		{"sample/scaled", "testdata/gpsd/sample.aivdm", "testdata/gpsd/sample.aivdm.js.chk", true},
		{"sample/unscaled", "testdata/gpsd/sample.aivdm", "testdata/gpsd/sample.aivdm.ju.chk", false},
		{"corpus/scaled", "testdata/bench/corpus.nmea", "testdata/bench/corpus.gpsdecode-3.22.js.jsonl.gz", true},
		{"corpus/unscaled", "testdata/bench/corpus.nmea", "testdata/bench/corpus.gpsdecode-3.22.ju.jsonl.gz", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			msgs := decodeForJSON(data, "stdin")
			want := readLines(t, tc.want)
			a := make([][2]uint32, len(msgs))
			for i := range msgs {
				a[i] = [2]uint32{msgs[i].typ, msgs[i].mmsi}
			}
			b := make([][2]uint32, len(want))
			for i, w := range want {
				b[i][0], b[i][1] = objKey(w)
			}
			var same, differ, oursOnly, gpsdOnly [28]int
			cats := map[string]int{}
			for _, p := range align(a, b) {
				switch {
				case p[1] < 0:
					oursOnly[a[p[0]][0]%28]++
					t.Logf("ours only: %q", msgs[p[0]].nmea)
					continue
				case p[0] < 0:
					gpsdOnly[b[p[1]][0]%28]++
					t.Logf("gpsd only: %s", want[p[1]])
					continue
				}
				m := &msgs[p[0]]
				got := m.ju
				if tc.scaled {
					got = m.js
				}
				got = strings.TrimSuffix(got, "\n")
				w := want[p[1]]
				if got == w {
					same[m.typ]++
					continue
				}
				differ[m.typ]++
				c := category(m, got, w)
				if c == "" {
					t.Errorf("AppendJSON(%q) = %s, want %s", m.nmea, got, w)
					continue
				}
				cats[c]++
			}
			var sb strings.Builder
			fmt.Fprintf(&sb, "type: identical/differing/ours only/gpsd only\n")
			var tot [4]int
			for ty := range 28 {
				if same[ty]+differ[ty]+oursOnly[ty]+gpsdOnly[ty] == 0 {
					continue
				}
				fmt.Fprintf(&sb, "%4d: %d/%d/%d/%d\n", ty, same[ty], differ[ty], oursOnly[ty], gpsdOnly[ty])
				tot[0] += same[ty]
				tot[1] += differ[ty]
				tot[2] += oursOnly[ty]
				tot[3] += gpsdOnly[ty]
			}
			fmt.Fprintf(&sb, "all: %d/%d/%d/%d of %d objects\n", tot[0], tot[1], tot[2], tot[3], len(want))
			keys := make([]string, 0, len(cats))
			for k := range cats {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(&sb, "known difference %q: %d\n", k, cats[k])
			}
			t.Log(sb.String())
		})
	}
}

// TestAppendJSONNumbers checks the integer formatting of fixed-point
// values against printf's (strconv's) rounding of the double gpsd divides.
func TestAppendJSONNumbers(t *testing.T) {
	vals := []int32{0, 1, -1, 2, -2, 3, 5, 54600000, -54600000, 108600000, -108600000, 1<<26 - 1, -1 << 26, 1<<27 - 1, -1 << 27}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		vals = append(vals, int32(r.Uint32())>>4)
	}
	for i := int32(-3000); i <= 3000; i++ {
		vals = append(vals, i)
	}
	for _, v := range vals {
		got := string(jDeg6(nil, "", v))
		want := string(strconv.AppendFloat(nil, float64(v)/600000.0, 'f', 6, 64)) + ","
		if got != want {
			t.Fatalf("jDeg6(%d) = %s, want %s", v, got, want)
		}
	}
	for v := range uint64(5000) {
		got := string(jTenths(nil, "", v))
		want := string(strconv.AppendFloat(nil, float64(v)/10.0, 'f', 1, 64)) + ","
		if got != want {
			t.Fatalf("jTenths(%d) = %s, want %s", v, got, want)
		}
	}
	for _, tc := range []struct {
		v     uint64
		width int
		want  string
	}{{0, 2, "00"}, {7, 2, "07"}, {10, 2, "10"}, {123, 2, "123"}, {0, 4, "0000"}, {99, 4, "0099"}, {2024, 4, "2024"}, {10196, 4, "10196"}} {
		if got := string(pad(nil, tc.v, tc.width)); got != tc.want {
			t.Errorf("pad(%d, %d) = %s, want %s", tc.v, tc.width, got, tc.want)
		}
	}
}

// TestAppendJSONForms covers what the gpsd comparison cannot: lone type 24
// parts (gpsdecode never prints them), the device member and escaping.
func TestAppendJSONForms(t *testing.T) {
	a := &StaticDataReport{Header: Header{Type: 24, MMSI: 271041815}, ShipName: `A"B\C`}
	b := &StaticDataReport{Header: Header{Type: 24, MMSI: 271041815}, Part: 1, ShipType: 60, VendorID: "1D0", Model: 0, Serial: 0, CallSign: "TC6163", ToStern: 15, ToStarboard: 5}
	q := &SafetyBroadcast{Header: Header{Type: 14, MMSI: 1}, Text: "SART TEST"}
	tests := []struct {
		name string
		m    Message
		o    JSONOptions
		want string
	}{
		{"part A", a, JSONOptions{}, `{"class":"AIS","type":24,"repeat":0,"mmsi":271041815,"scaled":false,"part":"A","shipname":"A\"B\\C"}`},
		{"part B", b, JSONOptions{Scaled: true}, `{"class":"AIS","type":24,"repeat":0,"mmsi":271041815,"scaled":true,"part":"B","shiptype":60,"shiptype_text":"Passenger - all ships of this type","vendorid":"1D0","model":0,"serial":0,"callsign":"TC6163","to_bow":0,"to_stern":15,"to_port":0,"to_starboard":5}`},
		{"merged", b, JSONOptions{Merged24: true}, `{"class":"AIS","type":24,"repeat":0,"mmsi":271041815,"scaled":false,"shipname":"","shiptype":60,"shiptype_text":"Passenger - all ships of this type","vendorid":"1D0","model":0,"serial":0,"callsign":"TC6163","to_bow":0,"to_stern":15,"to_port":0,"to_starboard":5}`},
		{"device", q, JSONOptions{Device: "tcp://h:1\t\"x\"\xc3\xa9"}, `{"class":"AIS","device":"tcp://h:1\t\"x\"é","type":14,"repeat":0,"mmsi":1,"scaled":false,"text":"SART TEST"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(AppendJSON([]byte("x"), tc.m, tc.o))
			if want := "x" + tc.want + "\n"; got != want {
				t.Errorf("AppendJSON(%+v) = %s, want %s", tc.m, got, want)
			}
		})
	}
}

// TestAppendJSONValid writes random messages of every type, in both forms,
// and checks that each is one valid JSON object and one line.
func TestAppendJSONValid(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var buf []byte
	for ty := 1; ty <= 27; ty++ {
		if ty == 6 && len(appKeys(false)) == 0 {
			continue // Random cannot draw an addressed application when none is registered
		}
		for range 300 {
			m := Random(r, ty)
			for _, o := range []JSONOptions{{}, {Scaled: true, Device: "/dev/ttyUSB0"}, {Merged24: true}} {
				buf = AppendJSON(buf[:0], m, o)
				if !json.Valid(buf) || bytes.IndexByte(buf, '\n') != len(buf)-1 {
					t.Fatalf("AppendJSON(%+v, %+v) = %s, not one JSON line", m, o, buf)
				}
			}
		}
	}
}

// corpusMessages decodes the benchmark corpus into messages the caller
// owns.
func corpusMessages(tb testing.TB) []Message {
	tb.Helper()
	data, err := os.ReadFile("testdata/bench/corpus.nmea")
	if err != nil {
		tb.Fatal(err)
	}
	var msgs []Message
	r := NewReader(bytes.NewReader(data), ReaderConfig{})
	for r.Scan() {
		msgs = append(msgs, Clone(r.Message()))
	}
	return msgs
}

// TestAppendJSONZeroAlloc holds AppendJSON to appending only: with room in
// dst it allocates nothing, for every corpus message.
func TestAppendJSONZeroAlloc(t *testing.T) {
	msgs := corpusMessages(t)
	buf := make([]byte, 0, 4096)
	for _, o := range []JSONOptions{{Device: "stdin"}, {Scaled: true, Device: "stdin"}} {
		n := testing.AllocsPerRun(2, func() {
			for _, m := range msgs {
				buf = AppendJSON(buf[:0], m, o)
			}
		})
		if n == 0 {
			continue
		}
		for _, m := range msgs { // find the culprits
			if n := testing.AllocsPerRun(1, func() { buf = AppendJSON(buf[:0], m, o) }); n != 0 {
				t.Errorf("AppendJSON(%s) allocates %.0f times, want 0", buf, n)
			}
		}
	}
}

// BenchmarkAppendJSON writes corpus messages, one per operation: all of
// them, and the position reports (types 1-3, 18) alone.
func BenchmarkAppendJSON(b *testing.B) {
	all := corpusMessages(b)
	var pos []Message
	for _, m := range all {
		switch m.Head().Type {
		case 1, 2, 3, 18:
			pos = append(pos, m)
		}
	}
	for _, set := range []struct {
		name string
		msgs []Message
	}{{"corpus", all}, {"position", pos}} {
		for _, scaled := range []bool{false, true} {
			name := set.name + "/unscaled"
			if scaled {
				name = set.name + "/scaled"
			}
			b.Run(name, func(b *testing.B) {
				o := JSONOptions{Scaled: scaled, Device: "stdin"}
				buf := make([]byte, 0, 4096)
				var n, i int
				b.ReportAllocs()
				for b.Loop() {
					buf = AppendJSON(buf[:0], set.msgs[i], o)
					n += len(buf)
					if i++; i == len(set.msgs) {
						i = 0
					}
				}
				b.SetBytes(int64(n / max(1, b.N)))
			})
		}
	}
}
