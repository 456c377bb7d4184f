/* jpage: pages a Hanweb column through /module/web/jpage/dataproxy.jsp (stand-in for the mock site) */
(function($){
  $.fn.jpage = function(o){
    var box = this;
    var perPage = o.perPage, group = o.perPage * o.groupSize;
    function load(start){
      var p = $.extend({}, o.ajaxParam);
      $.post(o.proxyUrl + '?startrecord=' + start + '&endrecord=' + (start + group - 1) + '&perpage=' + perPage, p,
        function(xml){ box.data('records', $(xml).find('record')); });
    }
    load(1);
    return this;
  };
})(jQuery);
